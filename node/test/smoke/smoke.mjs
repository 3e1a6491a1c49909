// Same as smoke.cjs, through the ESM entry point.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { Client, NotFoundError, operations, Messages, content } from 'sunco';

// import.meta.resolve is synchronous from Node 20.6; older versions skip this check.
if (typeof import.meta.resolve === 'function') {
  const resolved = fileURLToPath(import.meta.resolve('sunco'));
  assert.ok(resolved.startsWith(path.join(process.cwd(), 'node_modules', 'sunco')), resolved);
  assert.ok(resolved.endsWith('index.mjs'), resolved);
}

const client = Client.fromEnv({ maxRetries: 0 });
const convs = client.conversations(process.env.SUNCO_APP_ID);
const conv = await convs.create({ type: 'sdkGroup', participants: [{ userExternalId: 'bob' }] });
const updated = await convs.update(conv.id, { displayName: 'Smoke', description: null });
assert.equal(updated.displayName, 'Smoke');
const sent = await client.call('PostMessage', {
  path: { appId: process.env.SUNCO_APP_ID, conversationId: conv.id },
  body: { author: { type: 'business' }, content: { type: 'text', text: 'smoke' } },
});
const messages = [];
for await (const m of client.iterate('ListMessages', { path: { appId: process.env.SUNCO_APP_ID, conversationId: conv.id } })) {
  messages.push(m.id);
}
assert.deepEqual(messages, [sent.messages[0].id]);
assert.equal(operations().find((op) => op.id === 'ListMessages').items, 'messages');
const handle = client.app(process.env.SUNCO_APP_ID).messages(conv.id);
assert.ok(handle instanceof Messages);
await handle.post(content.business(content.text('from a handle')));
assert.equal((await handle.list()).messages.length, 2);
await convs.delete(conv.id);
await assert.rejects(convs.get(conv.id), NotFoundError);
console.log('smoke (import): ok');
