// Conversations: create, get, list with a filter, update (null clears), conversion events, delete.
import { appId, run } from './common';

run('conversations', async (client) => {
  const conversations = client.app(appId).conversations();
  const made = await conversations.create({
    type: 'sdkGroup',
    participants: [{ userExternalId: 'alice' }],
    displayName: 'Node example',
    description: 'to be cleared',
  });
  const id = made.conversation?.id ?? '';
  console.log(`created ${id}: ${(await conversations.get(id)).conversation?.displayName}`);
  for await (const c of conversations.iterate({ filter: { userExternalId: 'alice' }, page: { size: 10 } })) {
    console.log(`  alice is in ${c.id} (${c.type})`);
  }
  const updated = await conversations.update(id, { displayName: 'Renamed', description: null });
  console.log(`updated: ${updated.conversation?.displayName}, description ${updated.conversation?.description ?? 'cleared'}`);
  await conversations.postConversionEvents(id, {
    instagram: { payload: { data: [{ action_source: 'business_messaging', event_name: 'Example', event_time: 1752161233, messaging_channel: 'instagram' }] } },
  });
  await conversations.delete(id);
});
