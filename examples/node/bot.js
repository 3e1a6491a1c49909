// An offline bot with `sunco` and plain `http`: it receives `conversation:message` webhooks,
// answers each user message with a text and two quick replies, and passes the conversation to
// an agent (switchboard PassControl) when the user writes "agent".
//
// Environment (the bot contract of `scripts/bot-demo.py`, which `make demo-node` runs):
//   SUNCO_BASE_URL, SUNCO_KEY_ID, SUNCO_KEY_SECRET, SUNCO_APP_ID   the API and its credentials
//   BOT_PORT             listen on 127.0.0.1:BOT_PORT (POST on any path)
//   BOT_WEBHOOK_SECRET   the webhook's secret: every request is checked by webhooks.parse
//   BOT_AGENT            the switchboard integration (id or name) to pass control to
'use strict';

const http = require('node:http');
const { Client, content, webhooks, WebhookError } = require('sunco');

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`bot: set ${name}`);
    process.exit(2);
  }
  return value;
}

const secret = required('BOT_WEBHOOK_SECRET');
const agent = required('BOT_AGENT');
const port = Number(required('BOT_PORT'));
const client = Client.fromEnv();
const app = client.app(required('SUNCO_APP_ID'));

/** Answers one user message: a reply with quick replies, or the hand-over to an agent. */
async function handle(conversationId, text) {
  const messages = app.messages(conversationId);
  if (text.trim().toLowerCase() === 'agent') {
    await messages.post(content.business(content.text('Passing you to an agent.')));
    await app.switchboardActions(conversationId).passControl({ switchboardIntegration: agent });
    console.log(`bot: ${conversationId} passed control`);
    return;
  }
  const reply = content.text(`You said: ${text}`, [
    content.reply('Talk to an agent', 'agent'),
    content.reply('Thanks', 'thanks'),
  ]);
  await messages.post(content.business(reply));
  console.log(`bot: ${conversationId} replied`);
}

// Events are handled after the webhook is answered, one at a time, in the order they came.
let queue = Promise.resolve();

function onEvents(events) {
  for (const event of events ?? []) {
    if (event.type !== 'conversation:message') continue; // other types stay typed, unhandled
    const { message, conversation } = event.payload ?? {};
    const body = message?.content;
    if (message?.author?.type !== 'user' || body?.type !== 'text' || !conversation?.id) continue;
    const text = body.text ?? '';
    queue = queue
      .then(() => handle(conversation.id, text))
      .catch((err) => console.error(`bot: ${conversation.id}: ${err.name}: ${err.message}`));
  }
}

const server = http.createServer(async (req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  let payload;
  try {
    payload = webhooks.parse(await webhooks.readBody(req), req.headers, secret);
  } catch (err) {
    res.writeHead(err instanceof WebhookError ? err.status : 500).end();
    if (!(err instanceof WebhookError)) console.error(`bot: ${err}`);
    return;
  }
  res.writeHead(200).end();
  onEvents(payload.events);
});

function stop() {
  server.close();
  client.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`bot: listening on 127.0.0.1:${server.address().port}\n`);
});
