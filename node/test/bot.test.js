'use strict';
// examples/node/bot.js at its HTTP edge: the bot contract's refusals (401 wrong or missing
// secret, 400 malformed, 413 too large, nothing done), events it ignores, and exit 0 on SIGTERM.
// Its end-to-end run (replies and the hand-over, through the emulator's webhooks) is
// scripts/bot-demo.py, run by `make test-node`.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { once } = require('node:events');

const { webhooks } = require('sunco');
const { startEmulator } = require('./emulator.js');

const BOT = path.join(__dirname, '..', '..', 'examples', 'node', 'bot.js');
const SECRET = 'bot-secret-0123';
const EXAMPLES = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'webhooks', 'spec_examples.json'), 'utf8'),
).examples;

describe('examples/node/bot.js', () => {
  let emu;
  let bot;
  let url;
  let modules;
  const lines = [];
  before(async () => {
    emu = await startEmulator();
    // `require('sunco')` in the example finds this checkout through NODE_PATH.
    modules = fs.mkdtempSync(path.join(os.tmpdir(), 'sunco-bot-'));
    fs.symlinkSync(path.join(__dirname, '..'), path.join(modules, 'sunco'));
    bot = spawn(process.execPath, [BOT], {
      env: {
        ...process.env,
        NODE_PATH: modules,
        SUNCO_BASE_URL: emu.url,
        SUNCO_KEY_ID: 'demo-key',
        SUNCO_KEY_SECRET: 'demo-secret',
        SUNCO_APP_ID: 'demo-app',
        BOT_PORT: '0',
        BOT_WEBHOOK_SECRET: SECRET,
        BOT_AGENT: 'agent',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const out = readline.createInterface({ input: bot.stdout });
    const first = await new Promise((resolve, reject) => {
      out.once('line', resolve);
      bot.once('exit', (code) => reject(new Error(`the bot exited (${code})`)));
    });
    out.on('line', (line) => lines.push(line));
    const m = /^bot: listening on (127\.0\.0\.1:\d+)$/.exec(first);
    assert.ok(m, first);
    url = `http://${m[1]}/any/path`;
  });
  after(async () => {
    if (bot.exitCode === null) bot.kill('SIGKILL');
    await emu.stop();
    fs.rmSync(modules, { recursive: true, force: true });
  });

  const post = (body, headers) => fetch(url, { method: 'POST', body, headers }).then((r) => r.status);

  it('refuses a wrong or missing secret (401), a malformed body (400), a large one (413)', async () => {
    const message = JSON.stringify(EXAMPLES['conversation:message']);
    assert.equal(await post(message, { 'x-api-key': 'wrong' }), 401);
    assert.equal(await post(message, {}), 401);
    assert.equal(await post('{"events": {}}', { 'x-api-key': SECRET }), 400);
    assert.equal(await post(Buffer.alloc(webhooks.MAX_BODY_BYTES + 1, 0x20), { 'x-api-key': SECRET }), 413);
  });

  it('answers 200 to events it does not handle, and does nothing for them', async () => {
    for (const [type, body] of Object.entries(EXAMPLES)) {
      if (type === 'conversation:message') continue;
      assert.equal(await post(JSON.stringify(body), { 'x-api-key': SECRET }), 200, type);
    }
    // A business message is not answered either.
    const own = structuredClone(EXAMPLES['conversation:message']);
    own.events[0].payload.message.author.type = 'business';
    assert.equal(await post(JSON.stringify(own), { 'x-api-key': SECRET }), 200);
    assert.deepEqual(await emu.requests().then((log) => log.filter((r) => r.method !== 'GET')), []);
    assert.deepEqual(lines, []);
  });

  it('exits 0 on SIGTERM', async () => {
    bot.kill('SIGTERM');
    const [code] = await once(bot, 'exit');
    assert.equal(code, 0);
  });
});
