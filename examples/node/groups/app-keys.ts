// App keys (account key): create one, list, get, delete.
import { accountClient, appId, run } from './common';

run('app-keys', async (client) => {
  const keys = client.app(appId).keys();
  const made = await keys.create({ displayName: 'Spare key' });
  const keyId = made.key?.id ?? '';
  console.log(`created key ${keyId} (its secret is in made.key.secret, shown once)`);
  console.log(`keys: ${(await keys.list()).keys?.map((k) => k.displayName).join(', ')}`);
  console.log(`got ${(await keys.get(keyId)).key?.displayName}`);
  await keys.delete(keyId);
}, accountClient());
