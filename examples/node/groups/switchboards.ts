// Switchboards: create, list, enable with a default integration, delete.
import { appId, run } from './common';

run('switchboards', async (client) => {
  const app = client.app(appId);
  const made = await app.switchboards().create();
  const id = made.switchboard?.id ?? '';
  const agent = await app.switchboardIntegrations(id).create({ name: 'agent', integrationType: 'zd:agentWorkspace' });
  await app.switchboards().update(id, { enabled: true, defaultSwitchboardIntegrationId: agent.switchboardIntegration?.id ?? '' });
  console.log(`switchboards: ${(await app.switchboards().list()).switchboards?.map((s) => `${s.id} enabled=${s.enabled}`).join(', ')}`);
  await app.switchboards().delete(id);
});
