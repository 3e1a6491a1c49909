'use strict';
// Cancelling calls with an AbortSignal, and client.close(): the native future of the call is
// dropped (the request in flight and its connection go with it), and the caller gets a typed
// error. Calls are proved to be in flight by the emulator's request log (the emulator logs a
// request before applying a `delay` fault) or by a local server seeing the request arrive.
const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const http = require('node:http');
const util = require('node:util');
const { once, getEventListeners } = require('node:events');

const sunco = require('sunco');
const { Client } = sunco;
const { startEmulator } = require('./emulator.js');

const UNKNOWN_ID = '5f1c6e4b3a2d1c0b9a8f7e6d';
// Longer than any test may take: a call that was not really cancelled would hang the test
// (until the per-test timeout), not pass.
const FOREVER_MS = 600000;
const TEST = { timeout: 60000 };

let emu;

before(async () => {
  emu = await startEmulator();
});
after(() => emu.stop());
beforeEach(() => emu.reset());

async function rejection(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

/** Resolves once the emulator has logged `n` requests: the n-th call is in flight. */
async function inFlight(n = 1) {
  while ((await emu.requests()).length < n) {
    // each look is a request to the emulator: no sleeping
  }
}

function patientClient() {
  return new Client(emu.options({ timeoutMs: FOREVER_MS + 60000 }));
}

function delayEverything(times = 1) {
  return emu.fault({ path: '/v2/**', times, action: { type: 'delay', ms: FOREVER_MS } });
}

const group = { type: 'sdkGroup', participants: [{ userExternalId: 'alice' }] };

/** Every operation, called with `options`. */
function everyCall(convs, options) {
  return {
    create: () => convs.create(group, options),
    get: () => convs.get(UNKNOWN_ID, options),
    list: () => convs.list({ userExternalId: 'alice' }, options),
    update: () => convs.update(UNKNOWN_ID, { displayName: 'x' }, options),
    delete: () => convs.delete(UNKNOWN_ID, options),
    downloadMessageRef: () => convs.downloadMessageRef(UNKNOWN_ID, { userId: 'u' }, options),
    pages: () => convs.pages({ userExternalId: 'alice' }, options).next(),
    iterate: () => convs.iterate({ userExternalId: 'alice' }, options).next(),
  };
}

describe('AbortSignal', () => {
  it('an already aborted signal rejects every method with AbortError and sends nothing', async () => {
    const convs = new Client(emu.options()).conversations('demo-app');
    const reason = new Error('user left');
    const signal = AbortSignal.abort(reason);
    for (const [name, f] of Object.entries(everyCall(convs, { signal }))) {
      const err = await rejection(f());
      assert.ok(err instanceof sunco.AbortError, `${name}: ${err}`);
      assert.ok(err instanceof sunco.SuncoError && err instanceof Error);
      assert.equal(err.name, 'AbortError');
      assert.equal(err.code, 'ABORT_ERR');
      assert.equal(err.cause, reason);
      assert.equal(err.retryable, false);
    }
    assert.deepEqual(await emu.requests(), []);
  });

  it('aborting a call in flight rejects with AbortError at once, for every method', TEST, async () => {
    const convs = patientClient().conversations('demo-app');
    const calls = everyCall(convs, undefined);
    for (const name of Object.keys(calls)) {
      await emu.reset();
      await delayEverything();
      const controller = new AbortController();
      const pending = everyCall(convs, { signal: controller.signal })[name]();
      await inFlight();
      controller.abort();
      const err = await rejection(pending);
      assert.ok(err instanceof sunco.AbortError, `${name}: ${err}`);
      assert.equal(err.name, 'AbortError');
      assert.equal(err.cause?.name, 'AbortError', 'cause is the default reason, a DOMException');
    }
  });

  it('the request in flight is really dropped: the server sees its connection close', TEST, async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const convs = new Client({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: 't', maxRetries: 0 })
        .conversations('demo-app');
      const controller = new AbortController();
      const connected = once(server, 'connection');
      const pending = convs.get(UNKNOWN_ID, { signal: controller.signal });
      const [socket] = await connected;
      const [head] = await once(socket, 'data'); // the request arrived; no answer will ever come
      assert.match(head.toString(), /^GET \/v2\/apps\/demo-app\/conversations\/5f1c6e4b3a2d1c0b9a8f7e6d HTTP\/1\.1\r\n/);
      const closed = once(socket, 'close');
      controller.abort();
      assert.ok((await rejection(pending)) instanceof sunco.AbortError);
      await closed;
    } finally {
      server.close();
    }
  });

  it('a signal shared by calls cancels all of them; its listeners are removed once calls end', TEST, async () => {
    const convs = patientClient().conversations('demo-app');
    const conv = await convs.create(group);
    const done = new AbortController();
    // Finished calls leave no listener behind.
    for (let i = 0; i < 5; i++) await convs.get(conv.id, { signal: done.signal });
    await rejection(convs.get(UNKNOWN_ID, { signal: done.signal }));
    assert.equal(getEventListeners(done.signal, 'abort').length, 0);

    await emu.clearRequests();
    await delayEverything(3);
    const controller = new AbortController();
    // Each call's rejection is awaited from the start, so none is ever unhandled.
    const settled = [1, 2, 3].map(() => rejection(convs.get(conv.id, { signal: controller.signal })));
    await inFlight(3);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 3);
    controller.abort();
    for (const err of await Promise.all(settled)) assert.ok(err instanceof sunco.AbortError, String(err));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    // Other calls on the same client are unaffected.
    assert.equal((await convs.get(conv.id)).id, conv.id);
  });

  it('aborting iterate stops the loop with AbortError; the page in flight is dropped', TEST, async () => {
    const convs = patientClient().conversations('demo-app');
    for (let i = 0; i < 5; i++) await convs.create(group);
    await emu.clearRequests();
    const controller = new AbortController();
    const seen = [];
    const loop = (async () => {
      for await (const c of convs.iterate({ userExternalId: 'alice', size: 2 }, { signal: controller.signal })) {
        seen.push(c.id);
        // The second page will hang: abort once it is in flight.
        if (seen.length === 2) await delayEverything();
      }
    })();
    await inFlight(2);
    controller.abort();
    const err = await rejection(loop);
    assert.ok(err instanceof sunco.AbortError, String(err));
    assert.equal(seen.length, 2);
    assert.equal((await emu.requests()).length, 2, 'no page was asked for after the abort');
  });

  it('options are type-checked: TypeError, nothing sent', async () => {
    const convs = new Client(emu.options()).conversations('demo-app');
    for (const options of [5, 'x', null, [], { signal: 'x' }, { signal: {} }, { signal: null }, { sig: AbortSignal.abort() }]) {
      for (const [name, f] of Object.entries(everyCall(convs, options))) {
        const err = await rejection(f());
        assert.ok(err instanceof TypeError, `${name}(${util.inspect(options)}): ${err}`);
      }
    }
    assert.deepEqual(await emu.requests(), []);
    // `{}` and `{ signal: undefined }` are the same as no options.
    await rejection(convs.get(UNKNOWN_ID, {}));
    await rejection(convs.get(UNKNOWN_ID, { signal: undefined }));
    assert.equal((await emu.requests()).length, 2);
  });
});

describe('close()', () => {
  it('rejects calls in flight, later calls and iterators made before with ClosedError', TEST, async () => {
    const client = patientClient();
    const convs = client.conversations('demo-app');
    const conv = await convs.create(group);
    for (let i = 0; i < 3; i++) await convs.create(group);
    const notStarted = convs.iterate({ userExternalId: 'alice', size: 1 });
    const started = convs.pages({ userExternalId: 'alice', size: 1 });
    assert.equal((await started.next()).value.conversations.length, 1);
    await emu.clearRequests();

    await delayEverything();
    const pending = convs.get(conv.id);
    await inFlight();
    assert.equal(client.closed, false);
    client.close();
    assert.equal(client.closed, true);
    const err = await rejection(pending);
    assert.ok(err instanceof sunco.ClosedError, String(err));
    assert.ok(err instanceof sunco.SuncoError);
    assert.equal(err.name, 'ClosedError');
    assert.match(err.message, /closed/);

    await emu.clearRequests();
    for (const [name, f] of Object.entries(everyCall(convs, undefined))) {
      assert.ok((await rejection(f())) instanceof sunco.ClosedError, name);
    }
    assert.ok((await rejection(notStarted.next())) instanceof sunco.ClosedError);
    assert.ok((await rejection(started.next())) instanceof sunco.ClosedError);
    assert.ok((await rejection(client.conversations('demo-app').get(conv.id))) instanceof sunco.ClosedError);
    assert.deepEqual(await emu.requests(), [], 'nothing is sent after close()');

    client.close(); // idempotent
    assert.match(util.inspect(client), /closed: true/);
    assert.equal(client.baseUrl, emu.url);
    // Other clients are unaffected.
    assert.equal((await new Client(emu.options()).conversations('demo-app').get(conv.id)).id, conv.id);
  });

  it('releases the connection pool: pooled connections close, also with an iterator alive', TEST, async () => {
    const page = '{"conversations":[{"id":"a","type":"personal"}],"meta":{"hasMore":true,"afterCursor":"c"},"links":{}}';
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url.includes('/conversations?') ? page : '{"conversation":{"id":"a","type":"personal"}}');
    });
    const sockets = new Set();
    server.on('connection', (s) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const client = new Client({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: 't', maxRetries: 0 });
      const convs = client.conversations('demo-app');
      await Promise.all([convs.get('a'), convs.get('a')]);
      const pages = convs.pages({ userId: 'u', size: 1 });
      await pages.next(); // a paginator holding the pool, with more pages to come
      assert.ok(sockets.size >= 1, 'kept-alive connections are pooled');
      const allClosed = Promise.all([...sockets].map((s) => once(s, 'close')));
      client.close();
      await allClosed;
      assert.ok((await rejection(pages.next())) instanceof sunco.ClosedError);
    } finally {
      server.close();
    }
  });

  it('close() during an aborted call, and abort after close, both settle once', TEST, async () => {
    const client = patientClient();
    const convs = client.conversations('demo-app');
    await delayEverything();
    const controller = new AbortController();
    const pending = convs.get(UNKNOWN_ID, { signal: controller.signal });
    await inFlight();
    client.close();
    controller.abort();
    const err = await rejection(pending);
    assert.ok(err instanceof sunco.ClosedError || err instanceof sunco.AbortError, String(err));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });
});
