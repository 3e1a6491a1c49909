'use strict';
// Driver for the official JS client `sunshine-conversations-client` (npm; pkg=<its directory>),
// configured with the same base URL and basic auth. Protocol: bench/README.md.
const c = require('./_common.js');

const a = c.args();
const tMain = process.hrtime.bigint(); // the client package's require starts here
const SunshineConversationsClient = require(a.pkg);
const tImported = process.hrtime.bigint();

c.main(async () => {
  const apiClient = SunshineConversationsClient.ApiClient.instance;
  apiClient.basePath = a.url;
  apiClient.authentications.basicAuth.username = a.key;
  apiClient.authentications.basicAuth.password = a.secret;
  const api = new SunshineConversationsClient.ConversationsApi(apiClient);
  const tReady = c.clock();
  const get = async (id) => (await api.getConversation(a.app, id)).conversation.id;
  switch (a.workload) {
    case 'cold': return c.cold(tMain, tImported, tReady, get, a);
    case 'get': return c.sequential(get, a);
    case 'concurrent': return c.concurrent(get, a);
    case 'list': {
      await get(c.ids(a)[0]);
      // Known defect: the client serialises only the FIRST key of `page` (page[<first>]=...),
      // so `{ size, after }` would re-fetch page one forever. What it can do: the first page
      // with page[size], the following ones with page[after] alone (the server's default size).
      const size = Number(a.size ?? 100);
      const filter = { userExternalId: a.user };
      const out = await c.walk(async (after) => {
        const page = after === null ? { size } : { after };
        const r = await api.listConversations(a.app, filter, { page });
        return [r.conversations.length, r.meta.hasMore ? r.meta.afterCursor : null];
      }, a);
      out.note = `only the first key of page is sent: page[size]=${size} on the first page, ` +
        'then page[after] alone (server default size 25)';
      return out;
    }
    default: throw new Error(`unknown workload ${a.workload}`);
  }
});
