// Integrations: a custom integration with a webhook; list by type, get, update, delete.
import type { Integration } from 'sunco';
import { appId, run } from './common';

function describe(i: Integration): string {
  return i.type === 'custom' ? `custom, ${i.webhooks.length} webhook(s)` : String(i.type);
}

run('integrations', async (client) => {
  const integrations = client.app(appId).integrations();
  const made = await integrations.create({
    type: 'custom',
    displayName: 'Node bot',
    webhooks: [{ target: 'http://127.0.0.1:9/hook', triggers: ['conversation:message'] }],
  });
  const id = made.integration?.id ?? '';
  for await (const i of integrations.iterate({ filter: { types: 'custom' } })) console.log(`  ${i.id}: ${describe(i)}`);
  console.log(`got ${(await integrations.get(id)).integration?.displayName}`);
  await integrations.update(id, { displayName: 'Node bot 2' });
  await integrations.delete(id);
});
