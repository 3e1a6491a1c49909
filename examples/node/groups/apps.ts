// Apps (account key): create, list page by page, get, update, delete.
import { accountClient, run } from './common';

run('apps', async (client) => {
  const apps = client.apps();
  const made = await apps.create({ displayName: 'Node example', metadata: { team: 'support' } });
  const id = made.app?.id ?? '';
  console.log(`created app ${id}`);
  for await (const app of apps.iterate({ page: { size: 10 } })) console.log(`  app ${app.id} ${app.displayName}`);
  const renamed = await apps.update(id, { displayName: 'Node example (renamed)' });
  console.log(`renamed to ${renamed.app?.displayName}; subdomain ${(await apps.get(id)).app?.subdomain ?? '-'}`);
  await apps.delete(id);
}, accountClient());
