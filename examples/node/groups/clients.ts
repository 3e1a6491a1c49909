// Clients: link a Twilio number to alice (pending until the channel confirms), list, remove.
import { appId, conversationOfAlice, run } from './common';

run('clients', async (client) => {
  const app = client.app(appId);
  const twilio = await app.integrations().create({ type: 'twilio', accountSid: 'ACa1b2', authToken: 'secret', phoneNumberSid: 'PNa1b2' });
  const clients = app.clients('alice');
  const made = await clients.create({
    matchCriteria: { type: 'twilio', integrationId: twilio.integration?.id ?? '', phoneNumber: '+15145555555' },
    confirmation: { type: 'immediate' },
    target: { conversationId: await conversationOfAlice(client) },
  });
  for await (const c of clients.iterate({ page: { size: 10 } })) console.log(`  client ${c.id} ${c.type} ${c.status}`);
  await clients.remove(made.client?.id ?? '');
});
