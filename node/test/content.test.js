'use strict';
// Message content builders (the wire objects the core's content.rs makes) and uploads from a
// path, bytes and a stream, against the emulator.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');
const fc = require('fast-check');

const sunco = require('sunco');
const { content } = sunco;
const { startEmulator } = require('./emulator.js');

let emu;
let client;
before(async () => {
  emu = await startEmulator();
  client = new sunco.Client(emu.options());
});
after(() => emu.stop());

describe('content builders', () => {
  it('make the wire objects, actions absent when none', () => {
    assert.deepEqual(content.text('hi'), { type: 'text', text: 'hi' });
    assert.deepEqual(content.text('hi', []), { type: 'text', text: 'hi' });
    assert.deepEqual(content.text('Pick', [content.reply('Yes', 'y'), content.link('Docs', 'https://e.x')]), {
      type: 'text',
      text: 'Pick',
      actions: [{ type: 'reply', text: 'Yes', payload: 'y' }, { type: 'link', text: 'Docs', uri: 'https://e.x' }],
    });
    assert.deepEqual(content.image('https://e.x/a.png'), { type: 'image', mediaUrl: 'https://e.x/a.png' });
    assert.deepEqual(content.file('https://e.x/a.pdf'), { type: 'file', mediaUrl: 'https://e.x/a.pdf' });
    assert.deepEqual(
      content.carousel([content.item('Basic', [content.postback('Choose', 'basic')], { description: 'd', mediaUrl: 'https://e.x/i.png' })]),
      {
        type: 'carousel',
        items: [{ title: 'Basic', actions: [{ type: 'postback', text: 'Choose', payload: 'basic' }], description: 'd', mediaUrl: 'https://e.x/i.png' }],
      },
    );
    assert.deepEqual(content.business(content.text('x')), { author: { type: 'business' }, content: { type: 'text', text: 'x' } });
    assert.deepEqual(content.fromUser('u1', content.text('x')).author, { type: 'user', userId: 'u1' });
  });

  it('refuse wrong JavaScript types with a TypeError naming the argument', () => {
    assert.throws(() => content.text(5), /text must be a string/);
    assert.throws(() => content.reply('a', null), /payload must be a string/);
    assert.throws(() => content.carousel('x'), /items must be an array/);
    assert.throws(() => content.text('a', 'b'), /actions must be an array/);
  });

  it('property: any texts and quick replies round-trip through PostMessage as built', async () => {
    const conv = await client.app('demo-app').conversations().create({ type: 'personal', participants: [{ userExternalId: 'alice' }] });
    const messages = client.app('demo-app').messages(conv.conversation.id);
    const word = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0);
    await fc.assert(
      fc.asyncProperty(word, fc.array(fc.tuple(word, word), { maxLength: 3 }), async (text, replies) => {
        const sent = content.text(text, replies.map(([t, p]) => content.reply(t, p)));
        const answer = await messages.post(content.business(sent));
        const got = answer.messages[0].content;
        assert.equal(got.type, 'text');
        assert.equal(got.text, text);
        assert.deepEqual((got.actions ?? []).map((a) => [a.type, a.text, a.payload]), replies.map(([t, p]) => ['reply', t, p]));
      }),
      { numRuns: 25 },
    );
  });
});

describe('uploads', () => {
  const attachments = () => client.app('demo-app').attachments();
  let dir;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sunco-upload-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function check(answer, name) {
    assert.match(answer.attachment.mediaUrl, new RegExp(`${name.replace('.', '\\.')}$`));
    const log = await emu.requests();
    assert.equal(log.length, 1);
    assert.equal(log[0].method, 'POST');
    assert.equal(log[0].path, '/v2/apps/demo-app/attachments');
    assert.deepEqual([...new URLSearchParams(log[0].query)], [['access', 'public']]);
  }

  it('from a path, a Buffer, a Uint8Array and a readable stream', async () => {
    const file = path.join(dir, 'note.txt');
    fs.writeFileSync(file, 'hello');
    const sources = [
      [file, undefined, 'note.txt'],
      [Buffer.from('hello'), { fileName: 'a.txt', contentType: 'text/plain' }, 'a.txt'],
      [new Uint8Array([104, 105]), { fileName: 'b.txt' }, 'b.txt'],
      [fs.createReadStream(file), undefined, 'note.txt'],
      [Readable.from([Buffer.from('he'), 'llo']), { fileName: 'c.txt' }, 'c.txt'],
    ];
    for (const [source, options, name] of sources) {
      await emu.clearRequests();
      await check(await attachments().upload(source, { access: 'public' }, options), name);
    }
  });

  it('over 50 MB, a missing file or a bad query: ValidationError from the core, nothing sent', async () => {
    const big = path.join(dir, 'big.bin');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 50 * 1024 * 1024 + 1);
    await emu.clearRequests();
    for (const [source, query, field] of [
      [big, { access: 'public' }, 'source'],
      [path.join(dir, 'absent.bin'), { access: 'public' }, 'source'],
      [Buffer.from('x'), {}, 'access'],
    ]) {
      const err = await attachments().upload(source, query).then(() => null, (e) => e);
      assert.ok(err instanceof sunco.ValidationError, String(err));
      assert.equal(err.field, field);
    }
    async function* huge() {
      for (let i = 0; i < 51; i++) yield Buffer.alloc(1024 * 1024);
    }
    const err = await attachments().upload(huge(), { access: 'public' }, { fileName: 'h.bin' }).then(() => null, (e) => e);
    assert.ok(err instanceof sunco.ValidationError && err.field === 'source', String(err));
    assert.deepEqual(await emu.requests(), []);
  });

  it('wrong JavaScript types are TypeErrors', async () => {
    await assert.rejects(attachments().upload(42, { access: 'public' }), TypeError);
    await assert.rejects(attachments().upload('x', { access: 'public' }, { fileName: 3 }), TypeError);
    await assert.rejects(attachments().upload('x', { access: 'public' }, { other: 1 }), TypeError);
  });
});
