'use strict';
// Runs from a fresh directory where the packed tarball was installed: proves that what users
// install works with require(). Needs SUNCO_BASE_URL (scripts/with-emulator.sh sets it).
const assert = require('node:assert/strict');
const path = require('node:path');

const resolved = require.resolve('sunco');
assert.ok(resolved.startsWith(path.join(process.cwd(), 'node_modules', 'sunco')), resolved);
const { Client, NotFoundError, ValidationError, WebhookAuthError, operations, content, webhooks } = require('sunco');

async function main() {
  const client = new Client({
    baseUrl: process.env.SUNCO_BASE_URL,
    keyId: process.env.SUNCO_KEY_ID,
    keySecret: process.env.SUNCO_KEY_SECRET,
    maxRetries: 0,
  });
  const convs = client.conversations(process.env.SUNCO_APP_ID);
  const conv = await convs.create({ type: 'sdkGroup', participants: [{ userExternalId: 'alice' }] });
  assert.equal((await convs.get(conv.id)).id, conv.id);
  const ids = [];
  for await (const c of convs.iterate({ userExternalId: 'alice', size: 1 })) ids.push(c.id);
  assert.ok(ids.includes(conv.id));
  await convs.delete(conv.id);
  await assert.rejects(convs.get(conv.id), NotFoundError);
  await assert.rejects(convs.list({ userExternalId: 'alice', size: 0 }), ValidationError);
  // The generic entry, from the installed package.
  assert.equal(operations().length, 68);
  const where = { appId: process.env.SUNCO_APP_ID, conversationId: conv.id };
  await assert.rejects(client.call('GetConversation', { path: where }), NotFoundError);
  await assert.rejects(client.call('PostTelegram', {}), ValidationError);
  // The generated handles (lib/api/ is in the tarball), content builders and webhooks.
  const app = client.app(process.env.SUNCO_APP_ID);
  const made = await app.conversations().create({ type: 'sdkGroup', participants: [{ userExternalId: 'alice' }] });
  const sent = await app.messages(made.conversation.id).post(content.business(content.text('hi', [content.reply('Yes', 'y')])));
  assert.equal(sent.messages[0].content.actions[0].payload, 'y');
  const body = JSON.stringify({ events: [{ type: 'conversation:read', payload: {} }] });
  assert.equal(webhooks.parse(body, { 'x-api-key': 's' }, 's').events[0].type, 'conversation:read');
  assert.throws(() => webhooks.parse(body, {}, 's'), WebhookAuthError);
  console.log('smoke (require): ok from', path.dirname(resolved));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
