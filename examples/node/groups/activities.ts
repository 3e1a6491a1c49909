// Activities: the business marks a conversation read and shows typing.
import { appId, conversationOfAlice, run } from './common';

run('activities', async (client) => {
  const activities = client.app(appId).activities(await conversationOfAlice(client));
  await activities.post({ author: { type: 'business' }, type: 'conversation:read' });
  await activities.post({ author: { type: 'business' }, type: 'typing:start' });
});
