// OAuth: the authorize URL (a browser redirect), a code exchanged for a token, its info, revoke.
import { Client } from 'sunco';
import { run } from './common';

run('oauth', async (client) => {
  console.log(client.authorizeUrl({ client_id: 'demo-oauth-client', response_type: 'code', state: 'xyz' }));
  const token = await client.oauth().getToken({
    code: 'demo-code',
    grant_type: 'authorization_code',
    client_id: 'demo-oauth-client',
    client_secret: 'demo-oauth-secret',
  });
  const withToken = new Client({ baseUrl: client.baseUrl, token: token.access_token ?? '' });
  try {
    console.log(`token info: ${JSON.stringify(await withToken.oauth().tokenInfo())}`);
    await withToken.oauth().revokeAccess();
  } finally {
    withToken.close();
  }
});
