// Users: create, get, update, list by filter, delete personal information, delete.
import { appId, run } from './common';

run('users', async (client) => {
  const users = client.app(appId).users();
  const externalId = `node-example-${process.pid}`;
  await users.create({ externalId, profile: { givenName: 'Dora' } });
  const updated = await users.update(externalId, { profile: { givenName: 'Dora', surname: 'Example' } });
  console.log(`user ${updated.user?.id}: ${(await users.get(externalId)).user?.profile?.surname}`);
  console.log(`users with that email: ${(await users.list({ filter: { 'identities.email': 'nobody@example.com' } })).users?.length}`);
  await users.deletePersonalInformation(externalId);
  await users.delete(externalId);
});
