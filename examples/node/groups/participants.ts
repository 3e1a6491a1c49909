// Participants: bob joins a group conversation, the participants are listed, alice leaves.
import { appId, conversationOfAlice, run } from './common';

run('participants', async (client) => {
  const participants = client.app(appId).participants(await conversationOfAlice(client));
  await participants.join({ userExternalId: 'bob' });
  for await (const p of participants.iterate({ page: { size: 1 } })) console.log(`  participant ${p.userId}`);
  await participants.leave({ userExternalId: 'alice' });
  console.log(`left; ${(await participants.list()).participants?.length} participant(s) remain`);
});
