// Switchboard actions: with a switchboard and an `agent` integration, offer, accept, pass and
// release control of a conversation.
import { appId, conversationOfAlice, run } from './common';

run('switchboard-actions', async (client) => {
  const app = client.app(appId);
  const board = await app.switchboards().create();
  await app.switchboardIntegrations(board.switchboard?.id ?? '').create({ name: 'agent', integrationType: 'zd:agentWorkspace' });
  const actions = app.switchboardActions(await conversationOfAlice(client));
  await actions.offerControl({ switchboardIntegration: 'agent', metadata: { reason: 'vip' } });
  await actions.acceptControl({ metadata: { agent: 'sue' } });
  await actions.passControl({ switchboardIntegration: 'agent' });
  await actions.releaseControl();
  await app.switchboards().delete(board.switchboard?.id ?? '');
});
