// Switchboard integrations: create, list, update, delete the integrations of a switchboard.
import { appId, run } from './common';

run('switchboard-integrations', async (client) => {
  const app = client.app(appId);
  const board = await app.switchboards().create();
  const members = app.switchboardIntegrations(board.switchboard?.id ?? '');
  const made = await members.create({ name: 'agent', integrationType: 'zd:agentWorkspace', messageHistoryCount: 5 });
  const id = made.switchboardIntegration?.id ?? '';
  await members.update(id, { name: 'agents', deliverStandbyEvents: false });
  console.log(`members: ${(await members.list()).switchboardIntegrations?.map((s) => s.name).join(', ')}`);
  await members.delete(id);
  await app.switchboards().delete(board.switchboard?.id ?? '');
});
