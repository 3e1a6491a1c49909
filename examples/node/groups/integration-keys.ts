// Custom integration keys: create, list, get, delete the keys of a custom integration.
import { appId, run } from './common';

run('integration-keys', async (client) => {
  const app = client.app(appId);
  const made = await app.integrations().create({
    type: 'custom',
    webhooks: [{ target: 'http://127.0.0.1:9/hook', triggers: ['conversation:message'] }],
  });
  const keys = app.integrationKeys(made.integration?.id ?? '');
  const key = await keys.create({ displayName: 'Bot key' });
  console.log(`keys: ${(await keys.list()).keys?.length}; got ${(await keys.get(key.key?.id ?? '')).key?.displayName}`);
  await keys.delete(key.key?.id ?? '');
});
