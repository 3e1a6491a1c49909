// Webhooks: add a second webhook to a custom integration, list, get, update, delete.
import { appId, run } from './common';

run('webhooks', async (client) => {
  const app = client.app(appId);
  const made = await app.integrations().create({
    type: 'custom',
    webhooks: [{ target: 'http://127.0.0.1:9/hook', triggers: ['conversation:message'] }],
  });
  const hooks = app.webhooks(made.integration?.id ?? '');
  const second = await hooks.create({ target: 'http://127.0.0.1:9/second', triggers: ['conversation:create'] });
  const id = second.webhook?.id ?? '';
  console.log(`webhooks: ${(await hooks.list()).webhooks?.map((w) => w.target).join(', ')}`);
  console.log(`its secret is ${(await hooks.get(id)).webhook?.secret ? 'set' : 'missing'}`);
  await hooks.update(id, { includeFullUser: true });
  await hooks.delete(id);
});
