'use strict';
// Property-based tests (fast-check): hostile ids, bodies and options never crash, hang or change
// the request. Each property states the one acceptable outcome for its input: a clear typed error
// with nothing sent, or the exact request (checked in the emulator's request log). Runs are
// bounded (numRuns); fast-check prints the seed and the shrunk counterexample of a failure
// (re-run with it through SUNCO_FC_SEED=<seed>).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fc = require('fast-check');

const sunco = require('sunco');
const { Client } = sunco;
const { startEmulator } = require('./emulator.js');

// SUNCO_FC_RUNS raises the count for a longer local hunt.
const RUNS = Number(process.env.SUNCO_FC_RUNS) || 150;
const FC = {
  numRuns: RUNS,
  ...(process.env.SUNCO_FC_SEED ? { seed: Number(process.env.SUNCO_FC_SEED) } : {}),
};
const TEST = { timeout: 240000 };
const ID_MAX_BYTES = 1024;

let emu;
let client;
let convs;
let existingId;

before(async () => {
  emu = await startEmulator();
  client = new Client(emu.options());
  convs = client.conversations('demo-app');
  existingId = (await convs.create({ type: 'sdkGroup', participants: [{ userExternalId: 'alice' }] })).id;
});
after(() => emu.stop());

/** What a call did: `{ value }` or `{ error }`. */
async function outcome(f) {
  try {
    return { value: await f() };
  } catch (error) {
    return { error };
  }
}

/** Whether a JS string is well-formed UTF-16 (no lone surrogate). */
function wellFormed(s) {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** The core's encoding of one path segment: UTF-8, everything but A-Z a-z 0-9 - . _ ~ escaped. */
function encodeSegment(s) {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Any UTF-16 code unit: lone surrogates, pairs that happen to meet, controls, NUL, ... */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const hostilePiece = fc.constantFrom('/', '..', '.', '%', '%2e', '%2F', '?', '#', ' ', '\\', '\uD800', '\uDC00', '😀', 'é', '\0', '\n', '&', '=', '+');

/** Ids: any UTF-16, hostile pieces, dot segments, and lengths around the 1024-byte limit. */
const hostileId = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: codeUnit, maxLength: 40 }) },
  { weight: 4, arbitrary: fc.array(fc.oneof(hostilePiece, fc.string({ maxLength: 5 })), { maxLength: 12 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '...', './', '%2e%2e') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('a', 'é', '😀').chain((c) =>
      fc.integer({ min: ID_MAX_BYTES - 8, max: ID_MAX_BYTES + 8 }).map((bytes) =>
        c.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(c))))),
    ),
  },
  { weight: 1, arbitrary: fc.constant('x'.repeat(1 << 20)) },
);

/** The only acceptable outcomes for an id: refused by name with nothing sent, or sent as one segment. */
async function checkId(field, id, call, expectedPath) {
  await emu.clearRequests();
  const { value, error } = await outcome(call);
  const log = await emu.requests();
  const refused = !wellFormed(id) || id === '' || id === '.' || id === '..'
    || Buffer.byteLength(id, 'utf8') > ID_MAX_BYTES;
  if (refused) {
    assert.ok(error instanceof sunco.ValidationError, `${JSON.stringify(id)}: ${error ?? 'resolved'}`);
    assert.equal(error.field, field);
    assert.deepEqual(log, [], 'nothing sent');
    return;
  }
  assert.equal(value, undefined, 'no such conversation exists');
  assert.ok(error instanceof sunco.ApiError, `${JSON.stringify(id)}: ${error}`);
  assert.equal(log.length, 1);
  assert.equal(log[0].path, expectedPath(encodeSegment(id)), 'the id is exactly one percent-encoded segment');
}

describe('properties', () => {
  it('a conversation id is sent as exactly one encoded segment, or refused by name', TEST, async () => {
    const calls = {
      get: (id) => convs.get(id),
      update: (id) => convs.update(id, {}),
      delete: (id) => convs.delete(id),
      downloadMessageRef: (id) => convs.downloadMessageRef(id, { userId: 'u' }),
    };
    await fc.assert(
      fc.asyncProperty(hostileId, fc.constantFrom(...Object.keys(calls)), async (id, method) => {
        const suffix = method === 'downloadMessageRef' ? '/download' : '';
        await checkId('conversationId', id, () => calls[method](id),
          (segment) => `/v2/apps/demo-app/conversations/${segment}${suffix}`);
      }),
      FC,
    );
  });

  it('an app id is sent as exactly one encoded segment, or refused by name', TEST, async () => {
    await fc.assert(
      fc.asyncProperty(hostileId, async (appId) => {
        await checkId('appId', appId, () => client.conversations(appId).get('c1'),
          (segment) => `/v2/apps/${segment}/conversations/c1`);
      }),
      FC,
    );
  });

  /**
   * Values for a body field: JSON-able values, values JSON cannot carry faithfully, deep nesting,
   * and (rarely) themselves.
   */
  const jsonish = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.integer(),
      fc.string({ unit: codeUnit, maxLength: 8 }),
      fc.string({ maxLength: 8 }),
      fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 60, 1n, undefined, () => 1, Symbol('s'),
        new Map([['a', 1]]), new Set([1]), new Date(0), new Uint8Array(2), Object.create(null)),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.string({ unit: codeUnit, maxLength: 6 }), tie('value'), { maxKeys: 4 }),
    ),
  })).value;

  function nested(depth, asArray, inner) {
    let v = inner;
    for (let i = 0; i < depth; i++) v = asArray ? [v] : { k: v };
    return v;
  }
  const bodyValue = fc.oneof(
    { weight: 6, arbitrary: jsonish },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 100, max: 400 }), fc.boolean(), jsonish).map(([d, a, v]) => nested(d, a, v)) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 0, max: 5 }).map((d) => {
        const self = { a: 1 };
        let v = self;
        for (let i = 0; i < d; i++) v = { next: v };
        self.loop = v;
        return v;
      }),
    },
  );

  /**
   * How a value given as `extra.x` must fare: 'type' (TypeError: JSON cannot carry it) or
   * 'validation' (ValidationError: too deep, circular, or a lone surrogate), whichever the
   * conversion meets first, or 'ok'.
   */
  function expectation(value) {
    // What the JS layer refuses, in the order JSON.stringify meets it. `levels` counts the
    // containers around `v`: the body and `extra` are around `x`.
    const js = (v, levels, ancestors) => {
      if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'string') return null;
      if (typeof v === 'number') return Number.isFinite(v) ? null : 'type';
      if (typeof v !== 'object') return 'type'; // bigint, function, symbol
      if (v instanceof Date) return null; // toJSON: a string
      const tag = Object.prototype.toString.call(v);
      if (tag !== '[object Object]' && tag !== '[object Array]') return 'type';
      if (ancestors.includes(v) || levels + 1 >= 128) return 'validation';
      for (const child of Object.values(v)) {
        const problem = js(child, levels + 1, [...ancestors, v]);
        if (problem) return problem;
      }
      return null;
    };
    const problem = js(value, 2, []);
    if (problem) return problem;
    // Then the core's parser: a lone surrogate in a string or a key.
    const lone = (v) => (typeof v === 'string' ? !wellFormed(v)
      : v !== null && typeof v === 'object' && !(v instanceof Date)
        && Object.entries(v).some(([k, c]) => !wellFormed(k) || lone(c)));
    return lone(value) ? 'validation' : 'ok';
  }

  it('a body field is sent faithfully, or refused with a TypeError or ValidationError and nothing sent', TEST, async () => {
    await fc.assert(
      fc.asyncProperty(bodyValue, fc.constantFrom('create', 'update', 'downloadMessageRef'), async (value, method) => {
        await emu.clearRequests();
        const extra = { extra: { x: value } };
        const call = {
          create: () => convs.create({ type: 'sdkGroup', ...extra }),
          update: () => convs.update(existingId, extra),
          downloadMessageRef: () => convs.downloadMessageRef(existingId, { userId: 'u', ...extra }),
        }[method];
        const { error } = await outcome(call);
        const log = await emu.requests();
        const verdict = expectation(value);
        let bodySize = 0;
        try {
          bodySize = Buffer.byteLength(JSON.stringify(value) ?? '');
        } catch {
          // circular or BigInt: not sendable anyway
        }
        if (verdict === 'type') {
          assert.ok(error instanceof TypeError, `${method}: ${error ?? 'resolved'}`);
        } else if (verdict === 'validation' || bodySize > 100 * 1024 - 200) {
          assert.ok(error instanceof sunco.ValidationError, `${method}: ${error ?? 'resolved'}`);
          assert.ok(error.field === 'body' || error.field.startsWith('extra'), error.field);
        }
        if (verdict !== 'ok' || error instanceof TypeError || error instanceof sunco.ValidationError) {
          assert.deepEqual(log, [], 'nothing sent');
          return;
        }
        // Sent: exactly what JSON says the value is, as a top-level field.
        assert.ok(!error || error instanceof sunco.ApiError, String(error));
        assert.equal(log.length, 1);
        const sent = JSON.parse(log[0].body);
        if (value === undefined) assert.ok(!('x' in sent));
        else assert.deepEqual(sent.x, JSON.parse(JSON.stringify(value)));
      }),
      FC,
    );
  });

  // Found by the property above: -2.54229551736863e-110 was sent as -2.5422955173686303e-110
  // (the core parsed JSON numbers without serde_json's float_roundtrip).
  it('numbers are sent exactly as given', async () => {
    for (const x of [-2.54229551736863e-110, 0.1, 5e-324, 1.7976931348623157e308]) {
      await emu.clearRequests();
      await convs.update(existingId, { extra: { x }, metadata: { m: x } });
      const sent = JSON.parse((await emu.requests())[0].body);
      assert.equal(sent.x, x);
      assert.equal(sent.metadata.m, x);
    }
  });

  it('whole bodies of any shape give a value or a typed error, never anything else', TEST, async () => {
    const anyBody = fc.oneof(bodyValue, fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }));
    await fc.assert(
      fc.asyncProperty(anyBody, fc.constantFrom('create', 'update', 'downloadMessageRef'), async (body, method) => {
        const { error } = await outcome({
          create: () => convs.create(body),
          update: () => convs.update(existingId, body),
          downloadMessageRef: () => convs.downloadMessageRef(existingId, body),
        }[method]);
        if (error !== undefined) {
          assert.ok(
            error instanceof TypeError || error instanceof sunco.ValidationError || error instanceof sunco.ApiError,
            `${method}: ${error?.stack ?? error}`,
          );
        }
      }),
      FC,
    );
  });

  it('list parameters of any shape give a page or a typed error, never a changed query', TEST, async () => {
    const anyString = fc.oneof(fc.string({ unit: codeUnit, maxLength: 30 }), hostileId);
    const params = fc.record(
      {
        userId: fc.oneof(anyString, fc.anything()),
        userExternalId: fc.oneof(anyString, fc.constant('alice')),
        after: fc.oneof(anyString, fc.string({ minLength: 24, maxLength: 24 })),
        before: anyString,
        size: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.anything()),
        bogus: fc.anything(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(params, async (p) => {
        await emu.clearRequests();
        const { value, error } = await outcome(() => convs.list(p));
        const log = await emu.requests();
        if (error instanceof TypeError || error instanceof sunco.ValidationError) {
          assert.deepEqual(log, [], 'nothing sent');
          return;
        }
        assert.ok(!error || error instanceof sunco.ApiError, `${error?.stack ?? error}`);
        if (value) assert.ok(Array.isArray(value.conversations));
        assert.equal(log.length, 1);
        // Every given parameter arrived exactly, under its own name.
        const sent = new URLSearchParams(log[0].query.replace(/\+/g, '%2B'));
        for (const [name, key] of [['userId', 'filter[userId]'], ['userExternalId', 'filter[userExternalId]'],
          ['after', 'page[after]'], ['before', 'page[before]']]) {
          assert.equal(sent.get(key), p[name] ?? null, name);
        }
        assert.equal(sent.get('page[size]'), p.size === undefined ? null : String(p.size));
      }),
      FC,
    );
  });

  it('client and call options of any shape give a client or a TypeError / ConfigError', TEST, async () => {
    const optionValue = fc.oneof(fc.string({ unit: codeUnit, maxLength: 20 }), fc.anything(),
      fc.constantFrom(emu.url, 'https://x.example', 'http://127.0.0.1:1', 'eu', 'us', 'jwt', 'basic', 0, -1, NaN, 1e308));
    const clientOptions = fc.dictionary(
      fc.oneof(fc.constantFrom('baseUrl', 'region', 'subdomain', 'keyId', 'keySecret', 'auth', 'token', 'proxy',
        'timeoutMs', 'connectTimeoutMs', 'maxRetries'), fc.string({ maxLength: 8 })),
      optionValue,
      { maxKeys: 6 },
    );
    await fc.assert(
      fc.property(clientOptions, (options) => {
        try {
          const c = new Client(options);
          assert.equal(typeof c.baseUrl, 'string');
          c.close();
        } catch (error) {
          assert.ok(error instanceof TypeError || error instanceof sunco.ConfigError, `${error?.stack ?? error}`);
          const secret = options.keySecret;
          const distinctive = typeof secret === 'string' && secret.length >= 12
            && !Object.entries(options).some(([k, v]) => k !== 'keySecret' && String(v).includes(secret));
          if (distinctive) assert.ok(!error.message.includes(secret), 'the secret is never echoed');
        }
      }),
      FC,
    );
    const callOptions = fc.oneof(fc.anything(), fc.record({ signal: fc.oneof(fc.anything(), fc.constant(AbortSignal.abort())) }));
    await fc.assert(
      fc.asyncProperty(callOptions, async (options) => {
        const { value, error } = await outcome(() => convs.get(existingId, options));
        if (error === undefined) {
          assert.equal(value.id, existingId);
        } else {
          assert.ok(error instanceof TypeError || error instanceof sunco.AbortError, `${error?.stack ?? error}`);
        }
      }),
      FC,
    );
  });
});
