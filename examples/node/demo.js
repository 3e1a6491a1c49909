// A tour of the `sunco` npm package: create, get, iterate, update (null clears), any operation by
// its operationId (post and list messages), delete, errors, cancelling a call and closing the client.
//
// Reads SUNCO_BASE_URL, SUNCO_KEY_ID, SUNCO_KEY_SECRET and SUNCO_APP_ID; without them it talks to
// a local emulator (`sunco-emulator --port 8091`) with the demo key. `make demo-node` starts one.
'use strict';

const { Client, NotFoundError, ValidationError, ApiError, AbortError, ClosedError } = require('sunco');

const env = (name, fallback) => process.env[name] || fallback;

async function main() {
  const client = new Client({
    baseUrl: env('SUNCO_BASE_URL', 'http://127.0.0.1:8091'),
    keyId: env('SUNCO_KEY_ID', 'demo-key'),
    keySecret: env('SUNCO_KEY_SECRET', 'demo-secret'),
  });
  const convs = client.conversations(env('SUNCO_APP_ID', 'demo-app'));

  // Create three group conversations for alice.
  const created = [];
  for (let i = 1; i <= 3; i++) {
    const conv = await convs.create({
      type: 'sdkGroup',
      participants: [{ userExternalId: 'alice' }],
      displayName: `Node demo ${i}`,
      description: 'made by examples/node/demo.js',
      metadata: { source: 'demo', n: i },
    });
    console.log(`created  ${conv.id} (${conv.type}) ${conv.displayName}`);
    created.push(conv.id);
  }

  const first = await convs.get(created[0]);
  console.log(`get      ${first.id}: ${first.displayName}, created at ${first.createdAt}`);

  // Every conversation of alice, two per page; pages are fetched as the loop goes.
  let n = 0;
  for await (const conv of convs.iterate({ userExternalId: 'alice', size: 2 })) {
    n += 1;
    console.log(`  #${n} ${conv.id} ${conv.displayName ?? '(no name)'}`);
  }

  // Set one field, clear another with null; fields left out are not touched.
  const updated = await convs.update(created[0], { displayName: 'Renamed', description: null });
  console.log(`updated  ${updated.id}: displayName=${updated.displayName}, description=${updated.description ?? "(cleared)"}`);

  // Any operation of the API by its operationId: path, query and body in wire spelling, the
  // answer as the server sent it. ListMessages walks backward: the latest page first.
  const appId = env('SUNCO_APP_ID', 'demo-app');
  const conversationId = created[0];
  for (const text of ['Hello', 'Anyone there?']) {
    const { messages } = await client.call('PostMessage', {
      path: { appId, conversationId },
      body: { author: { type: 'business' }, content: { type: 'text', text } },
    });
    console.log(`posted   ${messages[0].id}: ${messages[0].content.text}`);
  }
  for await (const message of client.iterate('ListMessages', { path: { appId, conversationId } })) {
    console.log(`  message ${message.id}: ${message.content.text}`);
  }

  for (const id of created) await convs.delete(id);
  console.log(`deleted  ${created.length} conversations`);

  // Errors are classes you can test with instanceof.
  try {
    await convs.get(created[0]);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    console.log(`get after delete: ${err.name} status=${err.status} code=${err.code} title="${err.title}"`);
  }
  try {
    await convs.list({ userExternalId: 'alice', size: 500 });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    console.log(`bad page size: ${err.name} field=${err.field}: ${err.rule}`);
  }

  // Any call can be cancelled with an AbortSignal; its request is dropped.
  const controller = new AbortController();
  const pending = convs.get(created[1], { signal: controller.signal });
  controller.abort();
  try {
    await pending;
  } catch (err) {
    // On a busy machine the (fast, local) call can finish before the abort reaches it.
    if (err instanceof NotFoundError) console.log('the call finished before the abort');
    else if (!(err instanceof AbortError)) throw err;
    else console.log(`aborted: ${err.name} (${err.code})`);
  }

  // close() releases the connection pool; later calls reject with ClosedError.
  client.close();
  try {
    await convs.get(created[1]);
  } catch (err) {
    if (!(err instanceof ClosedError)) throw err;
    console.log(`after close: ${err.name}`);
  }
}

main().catch((err) => {
  console.error(err instanceof ApiError ? `${err.name}: ${err.message}` : err);
  process.exitCode = 1;
});
