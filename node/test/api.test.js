'use strict';
// Every operation, every error class (through the emulator's faults), pagination, tri-state
// updates, concurrency, argument checking and secret hygiene, through the public API.
const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');

const sunco = require('sunco');
const { Client } = sunco;
const { startEmulator } = require('./emulator.js');

const SECRET = 'demo-secret';
const UNKNOWN_ID = '5f1c6e4b3a2d1c0b9a8f7e6d';

let emu;
let client;
let convs;

before(async () => {
  emu = await startEmulator();
  client = new Client(emu.options());
  convs = client.conversations('demo-app');
});
after(() => emu.stop());
beforeEach(() => emu.reset());

/** Resolves to the error a promise rejects with (fails if it resolves). */
async function rejection(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

function group(extra = {}) {
  return { type: 'sdkGroup', participants: [{ userExternalId: 'alice' }], ...extra };
}

describe('operations', () => {
  it('create returns a plain camelCase object', async () => {
    const conv = await convs.create(
      group({
        displayName: 'Support',
        description: 'Billing',
        iconUrl: 'https://example.com/i.png',
        metadata: { tier: 'gold', n: 3, vip: true },
        participants: [{ userExternalId: 'alice', subscribeSDKClient: true }],
      }),
    );
    assert.equal(Object.getPrototypeOf(conv), Object.prototype);
    assert.match(conv.id, /^[0-9a-f]{24}$/);
    assert.equal(conv.type, 'sdkGroup');
    assert.equal(conv.displayName, 'Support');
    assert.equal(conv.iconUrl, 'https://example.com/i.png');
    assert.deepEqual(conv.metadata, { tier: 'gold', n: 3, vip: true });
    assert.equal(typeof conv.createdAt, 'string');
    const [req] = await emu.requests();
    assert.deepEqual(JSON.parse(req.body).participants, [{ userExternalId: 'alice', subscribeSDKClient: true }]);
  });

  it('personal conversations: the first is the default and cannot be deleted', async () => {
    const conv = await convs.create({ type: 'personal', participants: [{ userExternalId: 'bob' }] });
    assert.equal(conv.isDefault, true);
    const err = await rejection(convs.delete(conv.id));
    assert.ok(err instanceof sunco.BadRequestError);
    assert.ok(err instanceof sunco.ApiError);
    assert.ok(err instanceof sunco.SuncoError);
    assert.ok(err instanceof Error);
    assert.equal(err.status, 400);
    assert.equal(err.code, 'bad_request');
  });

  it('get, list, update, delete', async () => {
    const created = await convs.create(group({ displayName: 'One' }));
    assert.deepEqual(await convs.get(created.id), created);
    const page = await convs.list({ userExternalId: 'alice', size: 10 });
    assert.ok(page.conversations.some((c) => c.id === created.id));
    assert.equal(typeof page.meta.hasMore, 'boolean');
    assert.equal(typeof page.links, 'object');
    const updated = await convs.update(created.id, { displayName: 'Two' });
    assert.equal(updated.displayName, 'Two');
    assert.equal(await convs.delete(created.id), undefined);
    const err = await rejection(convs.get(created.id));
    assert.ok(err instanceof sunco.NotFoundError);
    assert.equal(err.code, 'conversation_not_found');
  });

  it('list by user id', async () => {
    const aliceId = await emu.userId('alice');
    await convs.create(group());
    const page = await convs.list({ userId: aliceId });
    assert.equal(page.conversations.length, 1);
    const [req] = (await emu.requests()).filter((r) => r.path.endsWith('/conversations') && r.method === 'GET');
    assert.deepEqual([...new URLSearchParams(req.query)], [['filter[userId]', aliceId]]);
  });

  it('downloadMessageRef returns free-form JSON', async () => {
    const conv = await convs.create(group());
    const userId = await emu.userId('alice');
    const data = await convs.downloadMessageRef(conv.id, {
      userId,
      apple: {
        interactiveDataRef: { url: 'https://x.example/d', bid: 'b', key: 'k', signature: 's', owner: 'o' },
      },
    });
    assert.equal(typeof data, 'object');
    assert.notEqual(data, null);
  });

  it('sends its user agent (the core and the Node.js runtime with their versions) and basic auth', async () => {
    await rejection(convs.get(UNKNOWN_ID));
    const [req] = await emu.requests();
    assert.equal(req.auth, 'basic');
    // e.g. `sunco/0.1.0 node/20.20.2`: the runtime's version, not the package's.
    assert.equal(req.userAgent, `sunco/${sunco.VERSION} node/${process.versions.node}`);
    assert.equal(process.version, `v${process.versions.node}`);
  });

  it('jwt auth and bearer tokens', async () => {
    const jwt = new Client(emu.options({ auth: 'jwt' })).conversations('demo-app');
    const conv = await jwt.create(group());
    assert.equal(conv.type, 'sdkGroup');
    assert.equal((await emu.requests()).at(-1).auth, 'bearer');
    const bearer = new Client({ baseUrl: emu.url, token: 'not-a-real-token', maxRetries: 0 });
    const err = await rejection(bearer.conversations('demo-app').get(conv.id));
    assert.ok(err instanceof sunco.AuthenticationError);
    assert.equal(err.status, 401);
    assert.ok(!err.message.includes('not-a-real-token'));
  });
});

describe('pagination', () => {
  async function seed(n) {
    const ids = [];
    for (let i = 0; i < n; i++) ids.push((await convs.create(group({ displayName: `c${i}` }))).id);
    await emu.clearRequests();
    return ids;
  }

  it('iterate walks every page lazily', async () => {
    const ids = await seed(5);
    const seen = [];
    for await (const c of convs.iterate({ userExternalId: 'alice', size: 2 })) {
      seen.push(c.id);
    }
    assert.deepEqual([...seen].sort(), [...ids].sort());
    const lists = await emu.requests();
    assert.equal(lists.length, 3, 'three pages of 2, 2 and 1');
    const afters = lists.map((r) => new URLSearchParams(r.query).get('page[after]'));
    assert.equal(afters[0], null);
    assert.ok(afters[1] && afters[2] && afters[1] !== afters[2]);
  });

  it('break stops fetching', async () => {
    await seed(5);
    let n = 0;
    for await (const c of convs.iterate({ userExternalId: 'alice', size: 2 })) {
      assert.equal(typeof c.id, 'string');
      n += 1;
      if (n === 3) break;
    }
    assert.equal((await emu.requests()).length, 2, 'only the pages that were consumed');
    n = 0;
    await emu.clearRequests();
    for await (const c of convs.iterate({ userExternalId: 'alice', size: 2 })) {
      n += c.id ? 1 : 0;
      break;
    }
    assert.equal(n, 1);
    assert.equal((await emu.requests()).length, 1);
  });

  it('pages yields whole pages; an empty result is one empty page', async () => {
    await seed(3);
    const pages = [];
    for await (const page of convs.pages({ userExternalId: 'alice', size: 2 })) pages.push(page);
    assert.deepEqual(pages.map((p) => p.conversations.length), [2, 1]);
    assert.equal(pages[0].meta.hasMore, true);
    assert.equal(typeof pages[0].meta.afterCursor, 'string');
    assert.equal(pages[1].meta.hasMore, false);
    const none = [];
    for await (const c of convs.iterate({ userExternalId: 'carol' })) none.push(c);
    assert.deepEqual(none, []);
  });

  it('iterate reports errors through the loop', async () => {
    const err = await rejection((async () => {
      for await (const c of convs.iterate({ userExternalId: 'alice', size: 500 })) assert.fail(c);
    })());
    assert.ok(err instanceof sunco.ValidationError);
    assert.equal(err.field, 'page.size');
    assert.deepEqual(await emu.requests(), []);
    const typeErr = await rejection(convs.iterate({ size: 'x' }).next());
    assert.ok(typeErr instanceof TypeError);
  });
});

describe('tri-state update', () => {
  it('undefined leaves a field alone, null clears it, a value sets it', async () => {
    const conv = await convs.create(
      group({ displayName: 'Before', description: 'Old', iconUrl: 'https://x.example/a.png', metadata: { a: 1 } }),
    );
    await emu.clearRequests();
    const updated = await convs.update(conv.id, {
      displayName: 'After',
      description: null,
      iconUrl: undefined,
    });
    const [req] = await emu.requests();
    assert.equal(req.method, 'PATCH');
    assert.deepEqual(JSON.parse(req.body), { displayName: 'After', description: null });
    assert.equal(updated.displayName, 'After');
    assert.ok(!('description' in updated));
    assert.equal(updated.iconUrl, 'https://x.example/a.png');
    assert.deepEqual(updated.metadata, { a: 1 });

    const cleared = await convs.update(conv.id, { metadata: null });
    assert.ok(!('metadata' in cleared));
    assert.equal(cleared.displayName, 'After');
    await emu.clearRequests();
    const same = await convs.update(conv.id, {});
    assert.equal(JSON.parse((await emu.requests())[0].body).constructor, Object);
    assert.equal(same.displayName, 'After');
  });
});

describe('concurrency', () => {
  it('100 concurrent calls via Promise.all', async () => {
    const conv = await convs.create(group());
    const results = await Promise.all(Array.from({ length: 100 }, () => convs.get(conv.id)));
    assert.equal(results.length, 100);
    for (const r of results) assert.equal(r.id, conv.id);
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => convs.create(group({ displayName: `p${i}` }))));
    assert.equal(new Set(created.map((c) => c.id)).size, 20);
  });

  it('works from worker threads, and keeps working after they exit', async () => {
    const { Worker } = require('node:worker_threads');
    const conv = await convs.create(group());
    for (let i = 0; i < 2; i++) {
      const got = await new Promise((resolve, reject) => {
        const worker = new Worker(
          `const { workerData, parentPort } = require('node:worker_threads');
           const { Client } = require(workerData.pkg);
           new Client(workerData.options).conversations('demo-app').get(workerData.id)
             .then((c) => parentPort.postMessage(c.id), (e) => parentPort.postMessage(String(e)));`,
          { eval: true, workerData: { pkg: require.resolve('sunco'), options: emu.options(), id: conv.id } },
        );
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      assert.equal(got, conv.id);
      assert.equal((await convs.get(conv.id)).id, conv.id);
    }
  });

  it('a slow call does not block the event loop', async () => {
    const conv = await convs.create(group());
    await emu.fault({ method: 'GET', path: '/v2/apps/*/conversations/*', action: { type: 'delay', ms: 300 } });
    let ticks = 0;
    const timer = setInterval(() => { ticks += 1; }, 10);
    try {
      assert.equal((await convs.get(conv.id)).id, conv.id);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 10, `the event loop ran only ${ticks} timer ticks during a 300 ms call`);
  });
});

describe('errors', () => {
  const GET = { method: 'GET', path: '/v2/apps/*/conversations/*' };

  it('every class is exported, named, and an Error', () => {
    const names = [
      'SuncoError', 'ValidationError', 'ConfigError', 'ApiError', 'BadRequestError', 'AuthenticationError',
      'NotFoundError', 'RateLimitError', 'ServerError', 'TimeoutError', 'TransportError', 'DecodeError',
    ];
    for (const name of names) {
      const cls = sunco[name];
      assert.equal(typeof cls, 'function', name);
      const e = new cls('m');
      assert.ok(e instanceof Error && e instanceof sunco.SuncoError, name);
      assert.equal(e.name, name);
      assert.equal(String(e), `${name}: m`);
    }
  });

  it('401 wrong secret and 403 other key are AuthenticationError', async () => {
    const wrong = new Client(emu.options({ keySecret: 'wrong-secret-value' })).conversations('demo-app');
    const e401 = await rejection(wrong.get(UNKNOWN_ID));
    assert.ok(e401 instanceof sunco.AuthenticationError);
    assert.equal(e401.status, 401);
    assert.equal(e401.code, 'unauthorized');
    assert.ok(!e401.message.includes('wrong-secret-value'));
    assert.ok(!util.inspect(e401).includes('wrong-secret-value'));
    const other = new Client(emu.options({ keyId: 'other-key', keySecret: 'other-secret' })).conversations('demo-app');
    const e403 = await rejection(other.get(UNKNOWN_ID));
    assert.ok(e403 instanceof sunco.AuthenticationError);
    assert.equal(e403.status, 403);
    assert.equal(e403.code, 'forbidden');
  });

  it('404 carries code, title, errors and the request id', async () => {
    const err = await rejection(convs.get(UNKNOWN_ID));
    assert.ok(err instanceof sunco.NotFoundError);
    assert.equal(err.name, 'NotFoundError');
    assert.equal(err.status, 404);
    assert.equal(err.code, 'conversation_not_found');
    assert.equal(typeof err.title, 'string');
    assert.deepEqual(err.errors, [{ code: err.code, title: err.title }]);
    assert.equal(typeof err.requestId, 'string');
    assert.ok(err.message.includes(err.requestId));
    assert.equal(err.retryAfter, undefined);
    assert.equal(err.retryable, false);
    const unknownApp = await rejection(client.conversations('no-such-app').get(UNKNOWN_ID));
    assert.ok(unknownApp instanceof sunco.NotFoundError);
    assert.equal(unknownApp.code, 'app_not_found');
  });

  it('429 is RateLimitError with retryAfter in seconds', async () => {
    await emu.fault({ ...GET, action: { type: 'status', status: 429, retryAfter: '7' } });
    const err = await rejection(convs.get(UNKNOWN_ID));
    assert.ok(err instanceof sunco.RateLimitError);
    assert.equal(err.status, 429);
    assert.equal(err.code, 'too_many_requests');
    assert.equal(err.retryAfter, 7);
    assert.equal(err.retryable, true);
  });

  it('5xx is ServerError; a retry can succeed', async () => {
    await emu.fault({ ...GET, action: { type: 'status', status: 503 } });
    const err = await rejection(convs.get(UNKNOWN_ID));
    assert.ok(err instanceof sunco.ServerError);
    assert.equal(err.status, 503);
    assert.equal(err.retryable, true);
    await emu.fault({ ...GET, action: { type: 'status', status: 500, code: 'boom', title: 'Exploded' } });
    const e500 = await rejection(convs.get(UNKNOWN_ID));
    assert.ok(e500 instanceof sunco.ServerError);
    assert.equal(e500.code, 'boom');
    assert.equal(e500.title, 'Exploded');

    const conv = await convs.create(group());
    await emu.clearRequests();
    await emu.fault({ ...GET, times: 2, action: { type: 'status', status: 503, retryAfter: '0' } });
    const patient = new Client(emu.options({ maxRetries: 2 })).conversations('demo-app');
    assert.equal((await patient.get(conv.id)).id, conv.id);
    assert.equal((await emu.requests()).length, 3);
  });

  it('other statuses are plain ApiError', async () => {
    await emu.fault({ ...GET, action: { type: 'status', status: 409 } });
    const err = await rejection(convs.get(UNKNOWN_ID));
    assert.equal(err.constructor, sunco.ApiError);
    assert.equal(err.status, 409);
    assert.equal(err.code, 'conflict');
  });

  it('a slow answer is TimeoutError', async () => {
    await emu.fault({ ...GET, action: { type: 'delay', ms: 2000 } });
    const quick = new Client(emu.options({ timeoutMs: 100 })).conversations('demo-app');
    const err = await rejection(quick.get(UNKNOWN_ID));
    assert.ok(err instanceof sunco.TimeoutError, String(err));
    assert.equal(err.timeoutMs, 100);
    assert.equal(err.retryable, false);
  });

  it('a dropped connection and a closed port are TransportError', async () => {
    await emu.fault({ ...GET, action: { type: 'drop' } });
    const dropped = await rejection(convs.get(UNKNOWN_ID));
    assert.ok(dropped instanceof sunco.TransportError, String(dropped));
    assert.equal(dropped.kind, 'request');
    const dead = await startEmulator();
    const url = dead.url;
    await dead.stop();
    const nowhere = new Client({ baseUrl: url, keyId: 'k', keySecret: SECRET, maxRetries: 0 });
    const refused = await rejection(nowhere.conversations('demo-app').get(UNKNOWN_ID));
    assert.ok(refused instanceof sunco.TransportError);
    assert.equal(refused.kind, 'connect');
    assert.equal(refused.retryable, true);
  });

  it('a body that is not JSON is DecodeError', async () => {
    await emu.fault({ ...GET, action: { type: 'malformed' } });
    const err = await rejection(convs.get(UNKNOWN_ID));
    assert.ok(err instanceof sunco.DecodeError, String(err));
    assert.equal(err.status, 200);
    assert.equal(typeof err.excerpt, 'string');
    await emu.fault({ ...GET, action: { type: 'truncated' } });
    const cut = await rejection(convs.get(UNKNOWN_ID));
    assert.ok(cut instanceof sunco.DecodeError || cut instanceof sunco.TransportError, String(cut));
  });

  it('ValidationError names the field and rule; nothing is sent', async () => {
    const err = await rejection(convs.create({ type: 'personal', participants: [] }));
    assert.ok(err instanceof sunco.ValidationError);
    assert.equal(err.field, 'participants');
    assert.equal(typeof err.rule, 'string');
    assert.ok(err.message.includes(err.rule));
    const nested = await rejection(convs.create(group({ metadata: { a: { b: 1 } } })));
    assert.equal(nested.field, 'metadata.a');
    const shape = await rejection(convs.create({ type: 'sdkGroup', participants: 'alice' }));
    assert.ok(shape instanceof sunco.ValidationError);
    assert.equal(shape.field, 'participants');
    const typo = await rejection(convs.update(UNKNOWN_ID, { displayname: 'x' }));
    assert.ok(typo instanceof sunco.ValidationError);
    assert.equal(typo.field, 'displayname', 'an unknown field is named itself');
    assert.ok(typo.rule.includes('displayName'), typo.rule);
    assert.deepEqual(await emu.requests(), []);
  });

  it('ConfigError for unusable options', () => {
    const bad = [
      [{ baseUrl: 'http://example.com', keyId: 'k', keySecret: SECRET }, /loopback/],
      [{ baseUrl: 'not a url', keyId: 'k', keySecret: SECRET }, /base URL/],
      [{ baseUrl: emu.url }, /credentials/],
      [{ baseUrl: emu.url, keyId: 'k' }, /go together/],
      [{ baseUrl: emu.url, keyId: 'k', keySecret: SECRET, token: 't' }, /not both/],
      [{ baseUrl: emu.url, keyId: 'k', keySecret: SECRET, auth: 'magic' }, /basic/],
      [{ region: 'mars', keyId: 'k', keySecret: SECRET }, /region/],
      [{ region: 'eu', subdomain: 'acme', keyId: 'k', keySecret: SECRET }, /at most one/],
      [{ subdomain: 'a.b', keyId: 'k', keySecret: SECRET }, /subdomain/],
      [{ baseUrl: emu.url, keyId: 'k', keySecret: SECRET, timeoutMs: 0 }, /timeoutMs/],
      [{ baseUrl: emu.url, keyId: 'k', keySecret: SECRET, maxRetries: 1.5 }, /maxRetries/],
      [{ baseUrl: emu.url, keyId: 'k', keySecret: SECRET, maxRetries: -1 }, /maxRetries/],
    ];
    for (const [options, pattern] of bad) {
      assert.throws(() => new Client(options), (err) => {
        assert.ok(err instanceof sunco.ConfigError, `${JSON.stringify(options)}: ${err}`);
        assert.match(err.message, pattern);
        assert.ok(!err.message.includes(SECRET));
        return true;
      });
    }
    assert.equal(new Client({ region: 'eu', keyId: 'k', keySecret: SECRET }).baseUrl, 'https://api.eu-1.smooch.io');
    assert.equal(new Client({ subdomain: 'Acme', token: 't' }).baseUrl, 'https://acme.zendesk.com/sc');
  });
});

describe('arguments', () => {
  it('wrong JavaScript types reject with TypeError, and nothing is sent', async () => {
    const cases = [
      () => convs.get(123),
      () => convs.get(),
      () => convs.get(null),
      () => convs.delete({}),
      () => convs.create('x'),
      () => convs.create(null),
      () => convs.create([]),
      () => convs.update(UNKNOWN_ID),
      () => convs.update(UNKNOWN_ID, 5),
      () => convs.list(null),
      () => convs.list({ userExternalId: 'alice', size: 'x' }),
      () => convs.list({ userExternalId: 'alice', size: NaN }),
      () => convs.list({ userExternalId: 42 }),
      () => convs.list({ userExternalID: 'alice' }),
      () => convs.downloadMessageRef(UNKNOWN_ID, 'x'),
      () => convs.create({ type: 'sdkGroup', metadata: { big: 1n } }),
    ];
    for (const f of cases) {
      const p = f();
      assert.ok(p instanceof Promise, `${f} must return a promise`);
      const err = await rejection(p);
      assert.ok(err instanceof TypeError, `${f}: ${err}`);
      assert.ok(!(err instanceof sunco.SuncoError));
    }
    assert.deepEqual(await emu.requests(), []);
  });

  it('bad values reject with ValidationError', async () => {
    for (const [f, field] of [
      [() => convs.list({ userExternalId: 'alice', size: 0 }), 'page.size'],
      [() => convs.list({ userExternalId: 'alice', size: 1.5 }), 'page.size'],
      [() => convs.list({ userExternalId: 'alice', after: 'short' }), 'page.after'],
      [() => convs.list({ size: 10 }), 'filter'],
      [() => convs.list(), 'filter'],
      [() => convs.get(''), 'conversationId'],
      [() => client.conversations('').get(UNKNOWN_ID), 'appId'],
      [() => convs.update(UNKNOWN_ID, { displayName: '' }), 'displayName'],
      [() => convs.create({ type: 'nope' }), 'type'],
    ]) {
      const err = await rejection(f());
      assert.ok(err instanceof sunco.ValidationError, `${f}: ${err}`);
      assert.equal(err.field, field);
    }
    assert.deepEqual(await emu.requests(), []);
  });

  it('client options and app ids are type-checked synchronously', () => {
    assert.throws(() => new Client(5), TypeError);
    assert.throws(() => new Client({ baseUrl: emu.url, keyId: 'k', keySecret: SECRET, timeoutMs: '5' }), TypeError);
    assert.throws(() => new Client({ baseUrl: emu.url, keyId: 'k', keySecret: SECRET, maxRetries: Infinity }), TypeError);
    assert.throws(() => new Client({ baseUrl: emu.url, apiKey: 'k' }), /unknown options property "apiKey"/);
    assert.throws(() => client.conversations(5), TypeError);
    assert.throws(() => new sunco.Conversations({}, 'x'), TypeError);
  });
});

describe('secrets', () => {
  it('never appear in inspect output, JSON or messages', async () => {
    const secret = 'zz-very-secret-zz';
    const c = new Client({ baseUrl: emu.url, keyId: 'demo-key', keySecret: secret, maxRetries: 0 });
    const shown = util.inspect(c, { showHidden: true, depth: 10 });
    assert.ok(!shown.includes(secret), shown);
    assert.ok(shown.includes(emu.url));
    assert.ok(!JSON.stringify(c).includes(secret));
    assert.deepEqual(Object.keys(c), []);
    const h = c.conversations('demo-app');
    assert.ok(!util.inspect(h, { showHidden: true, depth: 10 }).includes(secret));
    const err = await rejection(h.get(UNKNOWN_ID));
    assert.ok(err instanceof sunco.AuthenticationError);
    assert.ok(!util.inspect(err).includes(secret));
    const tokenClient = new Client({ baseUrl: emu.url, token: secret });
    assert.ok(!util.inspect(tokenClient).includes(secret));
  });
});

describe('fromEnv', () => {
  it('reads SUNCO_* and lets options win', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        SUNCO_BASE_URL: emu.url,
        SUNCO_KEY_ID: 'demo-key',
        SUNCO_KEY_SECRET: 'demo-secret',
        SUNCO_AUTH: 'basic',
      });
      delete process.env.SUNCO_TOKEN;
      const c = Client.fromEnv({ maxRetries: 0 });
      assert.equal(c.baseUrl, emu.url);
      const conv = await c.conversations('demo-app').create(group());
      assert.equal(conv.type, 'sdkGroup');
      process.env.SUNCO_AUTH = 'magic';
      assert.throws(() => Client.fromEnv(), sunco.ConfigError);
      assert.throws(() => Client.fromEnv({ baseUrl: 5 }), TypeError);
      // A failed fromEnv must not leak into the next plain constructor.
      assert.equal(new Client(emu.options()).baseUrl, emu.url);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  /** Runs `fn` with these SUNCO_* variables (undefined: unset), then restores the environment. */
  async function withEnv(vars, fn) {
    const saved = { ...process.env };
    try {
      for (const [k, v] of Object.entries(vars)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      return await fn();
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }

  it('an option overrides one field of the environment (only the secret, only the key id)', async () => {
    const env = {
      SUNCO_BASE_URL: emu.url,
      SUNCO_KEY_ID: 'demo-key',
      SUNCO_KEY_SECRET: 'not-the-demo-secret',
      SUNCO_AUTH: undefined,
      SUNCO_TOKEN: undefined,
    };
    await withEnv(env, async () => {
      // The environment alone is refused by the server, so a success proves the option was used.
      const envOnly = await rejection(Client.fromEnv({ maxRetries: 0 }).conversations('demo-app').get(UNKNOWN_ID));
      assert.ok(envOnly instanceof sunco.AuthenticationError, String(envOnly));
      const c = Client.fromEnv({ keySecret: 'demo-secret', maxRetries: 0 });
      const conv = await c.conversations('demo-app').create(group());
      assert.equal(conv.type, 'sdkGroup');
      assert.equal((await emu.requests()).at(-1).auth, 'basic');
      // The key from the environment and the option's secret, signed as a JWT.
      const jwt = Client.fromEnv({ keySecret: 'demo-secret', auth: 'jwt', maxRetries: 0 });
      assert.equal((await jwt.conversations('demo-app').get(conv.id)).id, conv.id);
      assert.equal((await emu.requests()).at(-1).auth, 'bearer');
    });
    await withEnv({ ...env, SUNCO_KEY_ID: 'other-key', SUNCO_KEY_SECRET: 'demo-secret' }, async () => {
      const c = Client.fromEnv({ keyId: 'demo-key', maxRetries: 0 });
      const err = await rejection(c.conversations('demo-app').get(UNKNOWN_ID));
      assert.ok(err instanceof sunco.NotFoundError, `authenticated, then 404: ${err}`);
    });
    await withEnv({ ...env, SUNCO_KEY_ID: undefined, SUNCO_KEY_SECRET: undefined, SUNCO_TOKEN: 'env-token' }, async () => {
      // A key in the options replaces the environment's token.
      const c = Client.fromEnv({ keyId: 'demo-key', keySecret: 'demo-secret', maxRetries: 0 });
      const err = await rejection(c.conversations('demo-app').get(UNKNOWN_ID));
      assert.ok(err instanceof sunco.NotFoundError, String(err));
      assert.equal((await emu.requests()).at(-1).auth, 'basic');
      // Half a key with nothing to complete it is still refused, without echoing the secret.
      assert.throws(() => Client.fromEnv({ keySecret: 'half-a-key' }), (e) => {
        assert.ok(e instanceof sunco.ConfigError, String(e));
        assert.ok(!e.message.includes('half-a-key'));
        return true;
      });
    });
  });
});

describe('results are the server JSON as sent', () => {
  it('keeps nulls from the emulator (businessLastRead: null)', async () => {
    const conv = await convs.create(group());
    assert.ok('businessLastRead' in conv);
    assert.equal(conv.businessLastRead, null);
    assert.equal((await convs.get(conv.id)).businessLastRead, null);
    const page = await convs.list({ userExternalId: 'alice' });
    assert.equal(page.conversations[0].businessLastRead, null);
  });

  it('keeps nulls, unknown fields and key order of every operation', async () => {
    const http = require('node:http');
    const { once } = require('node:events');
    // A server answering each route with a body no model would round-trip unchanged.
    const conversation = '{"zeta":null,"id":"5f1c6e4b3a2d1c0b9a8f7e6d","type":"futureType","metadata":{"b":1,"a":null},'
      + '"newThing":{"nested":[null,{"x":null}]},"displayName":null}';
    const bodies = {
      'POST /v2/apps/demo-app/conversations': `{"conversation":${conversation},"extraTop":1}`,
      'GET /v2/apps/demo-app/conversations/c1': `{"conversation":${conversation}}`,
      'PATCH /v2/apps/demo-app/conversations/c1': `{"conversation":${conversation}}`,
      'GET /v2/apps/demo-app/conversations': `{"conversations":[${conversation}],"meta":{"hasMore":false,"afterCursor":null,"beforeCursor":null,"weird":[]},"links":{"next":null},"zz":0}`,
      'POST /v2/apps/demo-app/conversations/c1/download': '{"b":null,"a":{"z":1,"y":null}}',
    };
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const key = `${req.method} ${req.url.split('?')[0]}`;
        res.writeHead(bodies[key] ? 200 : 404, { 'content-type': 'application/json' });
        res.end(bodies[key] ?? '{"errors":[{"code":"not_found","title":"no"}]}');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const c = new Client({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: 't', maxRetries: 0 });
      const h = c.conversations('demo-app');
      const want = JSON.parse(conversation);
      const same = (got, expected) => {
        assert.deepEqual(got, expected);
        assert.equal(JSON.stringify(got), JSON.stringify(expected), 'the same key order');
      };
      same(await h.create({ type: 'personal', participants: [{ userId: 'u' }] }), want);
      same(await h.get('c1'), want);
      same(await h.update('c1', { displayName: 'x' }), want);
      same(await h.list({ userId: 'u' }), JSON.parse(bodies['GET /v2/apps/demo-app/conversations']));
      const pages = [];
      for await (const page of h.pages({ userId: 'u' })) pages.push(page);
      same(pages, [JSON.parse(bodies['GET /v2/apps/demo-app/conversations'])]);
      same(await h.downloadMessageRef('c1', { userId: 'u' }), JSON.parse(bodies['POST /v2/apps/demo-app/conversations/c1/download']));
    } finally {
      server.close();
    }
  });
});

describe('extra body fields', () => {
  it('create, update and downloadMessageRef send extra fields at the top level of the body', async () => {
    const conv = await convs.create(group({ extra: { futureField: { deep: [1, null, 'x'] }, flag: true } }));
    const [created] = await emu.requests();
    assert.deepEqual(JSON.parse(created.body), {
      type: 'sdkGroup',
      participants: [{ userExternalId: 'alice' }],
      futureField: { deep: [1, null, 'x'] },
      flag: true,
    });
    await emu.clearRequests();
    await convs.update(conv.id, { displayName: 'Next', extra: { futureField: null } });
    assert.deepEqual(JSON.parse((await emu.requests())[0].body), { displayName: 'Next', futureField: null });
    await emu.clearRequests();
    const userId = await emu.userId('alice');
    await convs.downloadMessageRef(conv.id, { userId, extra: { format: 'v2' } });
    assert.deepEqual(JSON.parse((await emu.requests()).at(-1).body), { userId, format: 'v2' });
  });

  it('extra may not shadow a modelled field; an unknown top-level field points to extra', async () => {
    await emu.clearRequests();
    const shadow = await rejection(convs.create(group({ extra: { displayName: 'sneaky' } })));
    assert.ok(shadow instanceof sunco.ValidationError, String(shadow));
    assert.equal(shadow.field, 'extra.displayName');
    const unknown = await rejection(convs.update(UNKNOWN_ID, { futureField: 1 }));
    assert.ok(unknown instanceof sunco.ValidationError);
    assert.equal(unknown.field, 'futureField');
    assert.match(unknown.rule, /extra/);
    const notObject = await rejection(convs.update(UNKNOWN_ID, { extra: [1] }));
    assert.ok(notObject instanceof sunco.ValidationError);
    assert.equal(notObject.field, 'extra');
    assert.deepEqual(await emu.requests(), []);
  });
});

describe('ids and text are sent exactly or refused', () => {
  it('a lone surrogate in an id is a ValidationError naming it, never another id', async () => {
    for (const [f, field] of [
      [() => convs.get('\uD800'), 'conversationId'],
      [() => convs.get('abc\uDC00def'), 'conversationId'],
      [() => convs.update('\uDBFF', { displayName: 'x' }), 'conversationId'],
      [() => convs.delete('x\uD83D'), 'conversationId'],
      [() => convs.downloadMessageRef('\uD800', { userId: 'u' }), 'conversationId'],
      [() => client.conversations('demo-app\uD800').get(UNKNOWN_ID), 'appId'],
      [() => client.conversations('\uDFFF').create(group()), 'appId'],
      [() => client.conversations('demo-app\uD800').list({ userExternalId: 'alice' }), 'appId'],
      [() => client.conversations('demo-app\uD800').iterate({ userExternalId: 'alice' }).next(), 'appId'],
      [() => convs.list({ userId: '\uD800' }), 'filter.userId'],
      [() => convs.create(group({ displayName: 'a\uD800' })), 'displayName'],
    ]) {
      const err = await rejection(f());
      assert.ok(err instanceof sunco.ValidationError, `${f}: ${err}`);
      assert.equal(err.field, field, String(f));
    }
    assert.deepEqual(await emu.requests(), [], 'nothing was sent');
  });

  it('well-formed non-ASCII ids (astral characters included) are sent as one encoded segment', async () => {
    const id = 'a/😀é?#%';
    const err = await rejection(convs.get(id));
    assert.ok(err instanceof sunco.NotFoundError);
    const [req] = await emu.requests();
    assert.equal(req.path, '/v2/apps/demo-app/conversations/a%2F%F0%9F%98%80%C3%A9%3F%23%25');
  });

  it('client options with a lone surrogate are a ConfigError naming the option, without its value', () => {
    for (const [options, name] of [
      [{ baseUrl: `${emu.url}/\uD800`, token: 't' }, 'baseUrl'],
      [{ baseUrl: emu.url, keyId: 'demo-key', keySecret: 'VALUE\uD800' }, 'keySecret'],
      [{ baseUrl: emu.url, token: '\uDC00VALUE' }, 'token'],
      [{ region: 'eu', token: 't', proxy: 'http://VALUE:1/\uD800' }, 'proxy'],
    ]) {
      assert.throws(() => new Client(options), (err) => {
        assert.ok(err instanceof sunco.ConfigError, `${name}: ${err}`);
        assert.ok(err.message.includes(name), err.message);
        assert.ok(!err.message.includes('VALUE'), err.message);
        return true;
      });
    }
  });
});

describe('bodies become JSON faithfully or not at all', () => {
  it('values JSON cannot carry are TypeErrors naming the field; deep or circular values are ValidationErrors', async () => {
    const circular = { a: 1 };
    circular.self = circular;
    let deep = {};
    for (let i = 0, cur = deep; i < 100000; i++, cur = cur.x) cur.x = {};
    let deepArray = 1;
    for (let i = 0; i < 200; i++) deepArray = [deepArray];
    for (const [body, cls, field] of [
      [{ displayName: NaN }, TypeError, 'displayName'],
      [{ metadata: { n: Infinity } }, TypeError, 'metadata.n'],
      [{ metadata: { n: 1n } }, TypeError, 'metadata.n'],
      [{ displayName: () => 'x' }, TypeError, 'displayName'],
      [{ displayName: Symbol('x') }, TypeError, 'displayName'],
      [{ metadata: new Map([['a', 1]]) }, TypeError, 'metadata'],
      [{ extra: { set: new Set([1]) } }, TypeError, 'extra.set'],
      [{ extra: { x: [1, new Uint8Array(2)] } }, TypeError, 'extra.x[1]'],
      [{ extra: circular }, sunco.ValidationError, 'extra.self'],
      [{ extra: { deep } }, sunco.ValidationError, 'extra.deep.x'],
      [{ extra: { a: deepArray } }, sunco.ValidationError, 'extra.a[0]'],
    ]) {
      const err = await rejection(convs.update(UNKNOWN_ID, body));
      assert.ok(err instanceof cls, `${field}: ${err}`);
      assert.ok((err.field ?? err.message).startsWith(field), `${field}: ${err.field ?? err.message}`);
      if (cls === sunco.ValidationError) assert.match(err.rule, /128 levels/);
    }
    assert.deepEqual(await emu.requests(), []);
  });

  it('the JS and core depth limits agree: 127 levels are sent, 128 are refused', async () => {
    const nest = (levels) => {
      // The body and `extra` are two levels; `extra.x` adds the rest.
      let v = 1;
      for (let i = 0; i < levels - 2; i++) v = [v];
      return { extra: { x: v } };
    };
    const conv = await convs.create(group());
    await emu.clearRequests();
    const ok = await convs.update(conv.id, nest(127));
    assert.equal(ok.id, conv.id);
    assert.equal((await emu.requests()).length, 1);
    const err = await rejection(convs.update(conv.id, nest(128)));
    assert.ok(err instanceof sunco.ValidationError, String(err));
    assert.equal((await emu.requests()).length, 1, 'the refused one was not sent');
  });

  it('toJSON, Dates, wrapper objects and shared (non-circular) objects are fine', async () => {
    const shared = { tier: 'gold' };
    const conv = await convs.create(group({
      displayName: new String('Wrapped'),
      extra: { when: new Date(0), one: shared, two: shared, custom: { toJSON: () => 'custom' } },
    }));
    assert.equal(conv.displayName, 'Wrapped');
    const body = JSON.parse((await emu.requests()).at(-1).body);
    assert.equal(body.when, '1970-01-01T00:00:00.000Z');
    assert.deepEqual([body.one, body.two, body.custom], [shared, shared, 'custom']);
  });
});

describe('backward iteration', () => {
  it('iterate and pages from `before` walk backward, each page in the server order', async () => {
    const userId = await emu.userId('alice');
    const ids = [];
    for (let i = 0; i < 100; i++) ids.push((await convs.create(group())).id);
    assert.deepEqual([...ids].sort(), ids, 'ids increase with creation');
    await emu.clearRequests();

    const seen = [];
    for await (const c of convs.iterate({ userId, before: ids[50], size: 10 })) seen.push(c.id);
    const expected = [];
    for (let start = 40; start >= 0; start -= 10) expected.push(...ids.slice(start, start + 10));
    assert.deepEqual(seen, expected, 'ids[40..49], ids[30..39], ..., ids[0..9]');
    const befores = (await emu.requests()).map((r) => new URLSearchParams(r.query).get('page[before]'));
    assert.deepEqual(befores, [ids[50], ids[40], ids[30], ids[20], ids[10]]);

    const pages = [];
    for await (const page of convs.pages({ userId, before: ids[50], size: 10 })) {
      pages.push(page.conversations.map((c) => c.id));
    }
    assert.deepEqual(pages, [40, 30, 20, 10, 0].map((start) => ids.slice(start, start + 10)));

    // Forward from `after` still walks forward.
    const forward = [];
    for await (const c of convs.iterate({ userId, after: ids[79], size: 10 })) forward.push(c.id);
    assert.deepEqual(forward, ids.slice(80));
  });
});
