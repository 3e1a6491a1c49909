'use strict';
// Driver for the Node binding `sunco` (pkg=<directory of the package>). Protocol: bench/README.md.
const c = require('./_common.js');

const a = c.args();
const tMain = process.hrtime.bigint(); // the client package's require starts here
const { Client } = require(a.pkg);
const tImported = process.hrtime.bigint();

c.main(async () => {
  const client = new Client({ baseUrl: a.url, keyId: a.key, keySecret: a.secret, maxRetries: 0 });
  const convs = client.conversations(a.app);
  const tReady = c.clock();
  const get = async (id) => (await convs.get(id)).id;
  switch (a.workload) {
    case 'cold': return c.cold(tMain, tImported, tReady, get, a);
    case 'get': return c.sequential(get, a);
    case 'concurrent': return c.concurrent(get, a);
    case 'list': {
      await get(c.ids(a)[0]); // warm-up: opens the connection
      const size = Number(a.size ?? 100);
      return c.walk(async (after) => {
        const params = { userExternalId: a.user, size };
        if (after !== null) params.after = after;
        const p = await convs.list(params);
        return [p.conversations.length, p.meta.hasMore ? p.meta.afterCursor : null];
      }, a);
    }
    default: throw new Error(`unknown workload ${a.workload}`);
  }
});
