'use strict';
// webhooks.parse: every event type of the spec's examples and of the emulator's own deliveries
// (tests/webhooks/emulated_events.json) read as sent; each refusal as its error
// class with its HTTP status; a receiver on plain `http`; fast-check properties.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const util = require('node:util');
const { once } = require('node:events');
const fc = require('fast-check');

const sunco = require('sunco');
const { webhooks } = sunco;

const DIR = path.join(__dirname, '..', '..', 'tests', 'webhooks');
const SECRET = 'whsec-0123456789abcdef';
const HEADERS = { 'x-api-key': SECRET, 'content-type': 'application/json' };

function bodies(file) {
  const at = path.join(DIR, file);
  if (!fs.existsSync(at)) return null;
  const doc = JSON.parse(fs.readFileSync(at, 'utf8'));
  const examples = doc.examples ?? doc.events ?? doc;
  return Object.entries(examples)
    .filter(([key]) => !key.startsWith('_'))
    .map(([key, body]) => [key, body.body ?? body])
    // A file of bare events (not whole webhook bodies) gets each wrapped in a body.
    .map(([key, body]) => [key, body.events === undefined && typeof body.type === 'string' ? { events: [body] } : body]);
}

function refusal(f) {
  try {
    f();
  } catch (err) {
    return err;
  }
  assert.fail('expected a refusal');
}

describe('webhooks.parse: the spec examples', () => {
  const cases = bodies('spec_examples.json');

  it('cover every event type the core reads', () => {
    const types = new Set(cases.flatMap(([, b]) => b.events.map((e) => e.type)));
    assert.deepEqual([...types].sort(), [...webhooks.EVENT_TYPES].sort());
    assert.equal(webhooks.EVENT_TYPES.length, 25);
  });

  for (const [name, body] of cases) {
    it(`${name}: read as sent, from a Buffer, a string and a Uint8Array`, () => {
      const text = JSON.stringify(body);
      for (const raw of [Buffer.from(text), text, new Uint8Array(Buffer.from(text))]) {
        const payload = webhooks.parse(raw, HEADERS, SECRET);
        assert.deepEqual(payload, body);
        assert.equal(payload.events[0].type, name);
      }
    });
  }
});

describe('webhooks.parse: the emulator\'s deliveries (tests/webhooks/emulated_events.json)', () => {
  const cases = bodies('emulated_events.json');

  it('cover every event type the core reads', () => {
    assert.ok(cases, 'tests/webhooks/emulated_events.json is missing');
    const types = new Set(cases.flatMap(([, b]) => b.events.map((e) => e.type)));
    assert.deepEqual([...types].sort(), [...webhooks.EVENT_TYPES].sort());
  });

  for (const [name, body] of cases ?? []) {
    it(`${name}: read as sent`, () => {
      const payload = webhooks.parse(Buffer.from(JSON.stringify(body)), HEADERS, SECRET);
      assert.deepEqual(payload, body);
      assert.ok(payload.events.every((e) => e.type === name), name);
    });
  }
});

describe('webhooks.parse: refusals', () => {
  const body = JSON.stringify({ events: [] });

  it('no X-API-Key: WebhookAuthError, 401, missingSecret', () => {
    const err = refusal(() => webhooks.parse(body, { 'content-type': 'application/json' }, SECRET));
    assert.ok(err instanceof sunco.WebhookAuthError && err instanceof sunco.WebhookError);
    assert.ok(err instanceof sunco.SuncoError);
    assert.equal(err.status, 401);
    assert.equal(err.reason, 'missingSecret');
  });

  it('a wrong secret, or two X-API-Key values: 401 wrongSecret, the secrets never shown', () => {
    for (const headers of [{ 'x-api-key': 'guess' }, { 'X-Api-Key': ['guess', SECRET] }, [['x-api-key', SECRET], ['X-API-KEY', SECRET]]]) {
      const err = refusal(() => webhooks.parse(body, headers, SECRET));
      assert.ok(err instanceof sunco.WebhookAuthError, String(err));
      assert.equal(err.status, 401);
      assert.equal(err.reason, 'wrongSecret');
      const shown = `${err.message} ${util.inspect(err)} ${JSON.stringify(err)}`;
      assert.ok(!shown.includes(SECRET) && !shown.includes('guess'), shown);
    }
  });

  it('headers by any name case, from req.headers, a Headers or pairs', () => {
    for (const headers of [{ 'X-API-KEY': SECRET }, new Headers({ 'X-Api-Key': SECRET }), [['x-api-key', SECRET]]]) {
      assert.deepEqual(webhooks.parse(body, headers, SECRET), { events: [] });
    }
  });

  it('a body over MAX_BODY_BYTES: WebhookTooLargeError, 413, size and limit; checked after the secret', () => {
    const big = Buffer.alloc(webhooks.MAX_BODY_BYTES + 1, 0x20);
    const err = refusal(() => webhooks.parse(big, HEADERS, SECRET));
    assert.ok(err instanceof sunco.WebhookTooLargeError, String(err));
    assert.equal(err.status, 413);
    assert.equal(err.size, webhooks.MAX_BODY_BYTES + 1);
    assert.equal(err.limit, webhooks.MAX_BODY_BYTES);
    assert.ok(refusal(() => webhooks.parse(big, { 'x-api-key': 'no' }, SECRET)) instanceof sunco.WebhookAuthError);
  });

  it('not JSON, not an object, or an event of the wrong shape: WebhookMalformedError, 400, the place named', () => {
    for (const bad of ['{', '[]', 'null', '']) {
      const err = refusal(() => webhooks.parse(bad, HEADERS, SECRET));
      assert.ok(err instanceof sunco.WebhookMalformedError, `${bad}: ${err}`);
      assert.equal(err.status, 400);
    }
    const wrong = { events: [{ type: 'conversation:message', payload: { conversation: 'not an object' } }] };
    const err = refusal(() => webhooks.parse(JSON.stringify(wrong), HEADERS, SECRET));
    assert.ok(err instanceof sunco.WebhookMalformedError, String(err));
    assert.equal(err.path, 'events[0].payload.conversation');
  });

  it('an unknown event type is kept as sent', () => {
    const sent = { events: [{ id: 'e1', type: 'conversation:hologram', payload: { depth: 3 } }, 7] };
    assert.deepEqual(webhooks.parse(JSON.stringify(sent), HEADERS, SECRET), sent);
  });

  it('wrong JavaScript types are TypeErrors; an empty secret is a ConfigError', () => {
    assert.throws(() => webhooks.parse(42, HEADERS, SECRET), TypeError);
    assert.throws(() => webhooks.parse(body, null, SECRET), TypeError);
    assert.throws(() => webhooks.parse(body, { 'x-api-key': 5 }, SECRET), TypeError);
    assert.throws(() => webhooks.parse(body, HEADERS, undefined), TypeError);
    assert.throws(() => webhooks.parse(body, { 'x-api-key': '' }, ''), sunco.ConfigError);
  });
});

describe('webhooks.readBody', () => {
  it('reads a whole body, and stops one byte past the limit', async () => {
    async function* chunks(n, size) {
      for (let i = 0; i < n; i++) yield Buffer.alloc(size, 0x61);
    }
    assert.equal((await webhooks.readBody(chunks(3, 10))).length, 30);
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(64 * 1024);
      }
    }
    const read = await webhooks.readBody(endless());
    assert.ok(read.length > webhooks.MAX_BODY_BYTES && read.length <= webhooks.MAX_BODY_BYTES + 64 * 1024);
    assert.equal(pulled, Math.ceil((webhooks.MAX_BODY_BYTES + 1) / (64 * 1024)));
  });
});

describe('a receiver on plain http', () => {
  it('answers 200 with the events, 401, 413 and 400 as the errors say', async () => {
    const seen = [];
    const server = http.createServer(async (req, res) => {
      try {
        const payload = webhooks.parse(await webhooks.readBody(req), req.headers, SECRET);
        seen.push(...payload.events.map((e) => e.type));
        res.writeHead(200).end();
      } catch (err) {
        res.writeHead(err instanceof sunco.WebhookError ? err.status : 500).end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${server.address().port}/hook`;
    const post = (body, key) =>
      fetch(url, { method: 'POST', body, headers: key === undefined ? {} : { 'X-API-Key': key } }).then((r) => r.status);
    try {
      const [[, example]] = bodies('spec_examples.json');
      assert.equal(await post(JSON.stringify(example), SECRET), 200);
      assert.deepEqual(seen, [example.events[0].type]);
      assert.equal(await post('{}', 'nope'), 401);
      assert.equal(await post('{}', undefined), 401);
      assert.equal(await post('{"events": 3}', SECRET), 400);
      assert.equal(await post(Buffer.alloc(webhooks.MAX_BODY_BYTES + 10, 0x20), SECRET), 413);
      assert.equal(seen.length, 1);
    } finally {
      server.close();
    }
  });
});

describe('properties', () => {
  it('parse accepts exactly the secret it is given, whatever the strings', () => {
    const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[\r\n\0]/.test(s) && s.trim() === s);
    fc.assert(
      fc.property(text, text, (secret, sent) => {
        const ascii = (s) => /^[\x21-\x7e]*$/.test(s);
        fc.pre(ascii(secret) && ascii(sent));
        let ok = true;
        try {
          webhooks.parse('{"events": []}', { 'x-api-key': sent }, secret);
        } catch (err) {
          assert.ok(err instanceof sunco.WebhookAuthError, String(err));
          ok = false;
        }
        assert.equal(ok, sent === secret);
      }),
      { numRuns: 300 },
    );
  });

  it('any JSON body is either read back as sent or refused as malformed, never a crash', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.jsonValue({ maxDepth: 4 }), (events, extra) => {
        const body = { app: { id: 'a' }, events: Array.isArray(events) ? events : [events], extra };
        let got;
        try {
          got = webhooks.parse(JSON.stringify(body), HEADERS, SECRET);
        } catch (err) {
          assert.ok(err instanceof sunco.WebhookMalformedError, String(err));
          assert.equal(err.status, 400);
          return;
        }
        assert.deepEqual(got, JSON.parse(JSON.stringify(body)));
      }),
      { numRuns: 300 },
    );
  });
});
