'use strict';
// The generic entry: every operation by its operationId (client.call, client.pages,
// client.iterate, client.authorizeUrl) and the descriptors (operations()).
//
// - every case of tests/vectors/operations/*.json, run exactly as core/tests/vectors.rs
//   `every_operation_vector` runs them (reset, setup, placeholders, request log, `expect.ok` as a
//   recursive subset of the whole response body);
// - the hand-kept types of lib/index.d.ts (OperationPathParams, PagedOperations, authorizeUrl's
//   query) against the core's descriptors;
// - walks both ways: ListConversations on the emulator; ListMessages (backward by default) on a
//   local server that pages like the API, since the emulator has no messages;
// - AbortSignal and close() while a call is in flight; argument types; a fast-check property.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const util = require('node:util');
const { once } = require('node:events');
const fc = require('fast-check');

const sunco = require('sunco');
const { Client } = sunco;
const { startEmulator } = require('./emulator.js');

const VECTORS = path.join(__dirname, '..', '..', 'tests', 'vectors', 'operations');
const UNKNOWN_ID = '5f1c6e4b3a2d1c0b9a8f7e6d';
const FOREVER_MS = 600000;
const TEST = { timeout: 240000 };

let emu;
let client;

before(async () => {
  emu = await startEmulator();
  client = new Client(emu.options());
});
after(() => emu.stop());

async function outcome(f) {
  try {
    return { value: await f() };
  } catch (error) {
    return { error };
  }
}

async function rejection(promise) {
  const { value, error } = await outcome(() => promise);
  if (error === undefined) assert.fail(`expected a rejection, got ${JSON.stringify(value)}`);
  return error;
}

async function collect(iterable) {
  const out = [];
  for await (const x of iterable) out.push(x);
  return out;
}

// ------------------------------------------------------------------------------------ the vectors

function loadCases() {
  const files = fs.readdirSync(VECTORS).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length >= 1, `vectors missing in ${VECTORS}`);
  return files.flatMap((file) =>
    JSON.parse(fs.readFileSync(path.join(VECTORS, file), 'utf8')).cases.map((c) => ({ file, c })),
  );
}

function checkRequest(expected, log) {
  if (expected === null) {
    assert.deepEqual(log, [], 'nothing may be sent');
    return;
  }
  assert.equal(log.length, 1, `exactly one request, got ${JSON.stringify(log)}`);
  const got = log[0];
  assert.equal(got.method, expected.method, 'method');
  assert.equal(got.path, expected.path, 'raw path');
  assert.deepEqual([...new URLSearchParams(got.query ?? '')], expected.query, 'query');
  assert.deepEqual(got.body ? JSON.parse(got.body) : null, expected.body, 'body');
}

/** `expected` is a recursive subset of `got`: objects by key, arrays of the same length element
 * by element, everything else exactly. */
function checkDeepSubset(expected, got, at = '') {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(got !== null && typeof got === 'object' && !Array.isArray(got), `result ${at || '(root)'} is an object`);
    for (const [key, value] of Object.entries(expected)) checkDeepSubset(value, got[key] ?? null, `${at}.${key}`);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(got) && expected.length === got.length) {
    expected.forEach((value, i) => checkDeepSubset(value, got[i], `${at}.${i}`));
    return;
  }
  assert.deepEqual(got, expected, `result field ${at}`);
}

function checkResult(expect, { value, error }) {
  if (!expect.error) {
    if (error) throw error;
    assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), 'the result is an object');
    if (expect.ok !== true) checkDeepSubset(expect.ok, value);
    for (const key of expect.absent ?? []) assert.ok(!(key in value), `${key} must be absent`);
    return;
  }
  assert.ok(error, `expected a ${expect.error} error, got ${JSON.stringify(value)}`);
  if (expect.error === 'validation') {
    assert.ok(error instanceof sunco.ValidationError, `ValidationError expected, got ${error}`);
    assert.equal(error.field, expect.field);
  } else if (expect.error === 'api') {
    assert.ok(error instanceof sunco.ApiError, `ApiError expected, got ${error}`);
    assert.equal(error.status, expect.status);
    assert.equal(error.code, expect.code);
  } else {
    assert.fail(`unknown expectation ${expect.error}`);
  }
}

/** A client with the credentials of a case's `auth` (`{ keyId, keySecret }` or `{ token }`), else
 * the demo app key; no retries. */
function clientFor(auth) {
  if (auth?.keyId) return new Client(emu.options({ keyId: auth.keyId, keySecret: auth.keySecret }));
  if (auth?.token) return new Client({ baseUrl: emu.url, token: auth.token, maxRetries: 0 });
  return new Client(emu.options());
}

const BOUNDARY = 'sunco-vector-boundary';

/** Runs `setup.steps` in order (an operation through client.call, a request to an emulator
 * control, or a multipart upload with the demo key); each step's `save` fills `${name}` in the
 * rest of the case with the string at a dotted path of its result. */
async function runSteps(raw) {
  const count = JSON.parse(raw).setup?.steps?.length ?? 0;
  for (let i = 0; i < count; i++) {
    const step = JSON.parse(raw).setup.steps[i];
    let result;
    if (step.upload) {
      const { path: at, fileName, contentType, text } = step.upload;
      const res = await fetch(`${emu.url}${at}`, {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
          authorization: `Basic ${Buffer.from('demo-key:demo-secret').toString('base64')}`,
        },
        body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="source"; filename="${fileName}"\r\n`
          + `Content-Type: ${contentType}\r\n\r\n${text}\r\n--${BOUNDARY}--\r\n`,
      });
      assert.ok(res.ok, `setup upload ${i}: ${res.status}`);
      result = await res.json();
    } else if (step.emulator) {
      const { method, path: at, body } = step.emulator;
      result = await emu.control(method, at.replace(/^\/_emulator\//, ''), body);
    } else {
      const c = clientFor(step.auth);
      try {
        result = await c.call(step.operationId, step.args ?? {});
      } finally {
        c.close();
      }
    }
    for (const [name, at] of Object.entries(step.save ?? {})) {
      const value = at.split('.').reduce((v, key) => v?.[key], result);
      assert.equal(typeof value, 'string', `setup step ${i}: no string at ${at} in ${JSON.stringify(result)}`);
      raw = raw.replaceAll(`\${${name}}`, value);
    }
  }
  return raw;
}

describe('tests/vectors/operations through client.call', () => {
  const cases = loadCases();
  it('are there', () => assert.ok(cases.length >= 20, `only ${cases.length} operation vectors`));

  for (const { file, c: original } of cases) {
    it(`${file}: ${original.name}`, async () => {
      await emu.reset();
      let raw = JSON.stringify(original);
      if (original.setup?.conversation) {
        const conv = await client.conversations('demo-app').create(original.setup.conversation);
        raw = raw.replaceAll('${conversationId}', conv.id);
      }
      if (raw.includes('${aliceId}')) raw = raw.replaceAll('${aliceId}', await emu.userId('alice'));
      raw = await runSteps(raw);
      const c = JSON.parse(raw);
      await emu.clearRequests();
      const caller = c.auth ? clientFor(c.auth) : client;
      const result = await outcome(() => caller.call(c.operationId, c.args));
      if (caller !== client) caller.close();
      checkRequest(c.request, await emu.requests());
      checkResult(c.expect, result);
    });
  }
});

// ------------------------------------------------------------------- the same, through typed names

const MANIFEST = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'api.json'), 'utf8'));
const BY_ID = new Map(MANIFEST.operations.map((op) => [op.operationId, op]));

/**
 * Calls an operation through its Node name in the manifest (`client.app(appId).messages(
 * conversationId).post`): each handle accessor gets the path parameters it names, the method
 * the others in the operation's order, then the body and the query when the operation has them.
 * Undefined when the case cannot be said through a typed method (a path parameter, a body or a
 * query the operation does not have: the generic entry's own refusals).
 */
function typedCall(on, op, args = {}) {
  const m = /^client((?:\.\w+\([\w, ]*\))*)\.(\w+)$/.exec(op.names.node);
  assert.ok(m, `unexpected Node name ${op.names.node}`);
  const pathArgs = args.path ?? {};
  if (Object.keys(pathArgs).some((k) => !op.pathParams.includes(k))) return undefined;
  if (args.body !== undefined && !op.body) return undefined;
  if (args.query !== undefined && !op.query.length) return undefined;
  let target = on;
  const held = new Set();
  for (const [, accessor, list] of m[1].matchAll(/\.(\w+)\(([\w, ]*)\)/g)) {
    const names = list ? list.split(', ') : [];
    names.forEach((n) => held.add(n));
    target = target[accessor](...names.map((n) => pathArgs[n]));
  }
  const positional = op.pathParams.filter((p) => !held.has(p)).map((p) => pathArgs[p]);
  if (op.body) positional.push(args.body);
  if (op.query.length) positional.push(args.query);
  return target[m[2]](...positional);
}

describe('tests/vectors/operations through the typed method the manifest names', () => {
  const cases = loadCases().filter(({ c }) => BY_ID.has(c.operationId) && c.operationId !== 'Authorize');

  it('every operation but Authorize has a typed name: a method of a handle', () => {
    for (const op of MANIFEST.operations) {
      if (op.operationId === 'Authorize') {
        assert.equal(op.names.node, 'client.authorizeUrl(query)');
        continue;
      }
      assert.match(op.names.node, /^client\.(app\(appId\)\.)?\w+\([\w, ]*\)\.\w+$/, op.operationId);
    }
  });

  for (const { file, c: original } of cases) {
    const op = BY_ID.get(original.operationId);
    if (op.operationId === 'UploadAttachment') continue; // its own tests below (a file, not JSON)
    it(`${file}: ${original.name} (${op.names.node})`, async (t) => {
      await emu.reset();
      let raw = JSON.stringify(original);
      if (original.setup?.conversation) {
        const conv = await client.conversations('demo-app').create(original.setup.conversation);
        raw = raw.replaceAll('${conversationId}', conv.id);
      }
      if (raw.includes('${aliceId}')) raw = raw.replaceAll('${aliceId}', await emu.userId('alice'));
      raw = await runSteps(raw);
      const c = JSON.parse(raw);
      await emu.clearRequests();
      const caller = c.auth ? clientFor(c.auth) : client;
      let typed;
      const result = await outcome(() => {
        typed = typedCall(caller, op, c.args);
        return typed;
      });
      if (caller !== client) caller.close();
      if (typed === undefined && result.error === undefined) {
        t.skip('a path parameter, body or query the operation does not have cannot be passed to a typed method');
        return;
      }
      if (result.error instanceof TypeError) {
        // A path argument of the wrong JavaScript type: the typed method refuses it before the
        // core does (the generic entry reports the same case as the core's ValidationError).
        assert.equal(c.expect.error, 'validation', String(result.error));
        assert.deepEqual(await emu.requests(), [], 'nothing may be sent');
        return;
      }
      checkRequest(c.request, await emu.requests());
      checkResult(c.expect, result);
    });
  }
});

// ------------------------------------------------------------------------------------ descriptors

describe('operations()', () => {
  const dts = fs.readFileSync(path.join(__dirname, '..', 'lib', 'index.d.ts'), 'utf8');

  /** The members of `export interface NAME { Key: 'a' | 'b'; ... }` in index.d.ts. */
  function interfaceMembers(name) {
    const body = new RegExp(`export interface ${name} \\{\\n([^}]*)\\n\\}`).exec(dts);
    assert.ok(body, `index.d.ts declares ${name}`);
    return Object.fromEntries(body[1].split('\n').map((line) => {
      const m = /^ {2}(\w+): (.+);$/.exec(line);
      assert.ok(m, `${name}: unexpected line ${JSON.stringify(line)}`);
      return [m[1], m[2] === 'never' ? [] : m[2].split(' | ').map((s) => JSON.parse(s.replaceAll("'", '"')))];
    }));
  }

  it('lists the 68 operations of the spec once each, frozen, the same array every time', () => {
    const ops = sunco.operations();
    assert.equal(ops.length, 68);
    assert.equal(new Set(ops.map((o) => o.id)).size, 68);
    assert.equal(sunco.operations(), ops);
    assert.ok(Object.isFrozen(ops) && Object.isFrozen(ops[0]) && Object.isFrozen(ops[0].pathParams));
    const list = ops.find((o) => o.id === 'ListMessages');
    assert.deepEqual(
      { ...list, query: undefined, scopes: undefined },
      {
        id: 'ListMessages', group: 'Messages', method: 'GET',
        path: '/v2/apps/{appId}/conversations/{conversationId}/messages',
        pathParams: ['appId', 'conversationId'], query: undefined, body: null, success: 200,
        items: 'messages', direction: 'backward', scopes: undefined, redirect: false, sendsAuth: true,
      },
    );
    assert.deepEqual(list.query, [{
      name: 'page', style: 'deepObject', required: false,
      keys: [{ name: 'after', type: 'string' }, { name: 'before', type: 'string' }, { name: 'size', type: 'integer' }],
    }]);
    const post = ops.find((o) => o.id === 'PostMessage');
    assert.deepEqual(post.body, { contentType: 'application/json', schema: post.body.schema, required: true });
    assert.equal(post.items, null);
    assert.equal(ops.find((o) => o.id === 'UploadAttachment').body.contentType, 'multipart/form-data');
    assert.equal(ops.find((o) => o.id === 'GetToken').sendsAuth, false);
    assert.equal(ops.find((o) => o.id === 'Authorize').redirect, true);
    for (const op of ops) {
      for (const p of op.pathParams) assert.ok(op.path.includes(`{${p}}`), `${op.id}: ${p}`);
    }
  });

  it('index.d.ts: OperationPathParams and PagedOperations match the descriptors', () => {
    const ops = sunco.operations();
    const pathParams = interfaceMembers('OperationPathParams');
    assert.deepEqual(Object.keys(pathParams), ops.map((o) => o.id), 'every operationId, in the spec order');
    for (const op of ops) assert.deepEqual(pathParams[op.id], op.pathParams, op.id);
    const paged = interfaceMembers('PagedOperations');
    assert.deepEqual(
      Object.entries(paged).map(([id, [items]]) => [id, items]),
      ops.filter((o) => o.items !== null).map((o) => [o.id, o.items]),
    );
  });

  it("index.d.ts: authorizeUrl's query is Authorize's", () => {
    const m = /authorizeUrl\(query: \{\n([^}]*)\n {2}\}\): string;/.exec(dts);
    assert.ok(m, 'index.d.ts declares authorizeUrl(query: {...})');
    const typed = m[1].split('\n').map((l) => /^ +(\w+)(\??): string;$/.exec(l)).map((x) => [x[1], x[2] !== '?']);
    const authorize = sunco.operations().find((o) => o.id === 'Authorize');
    assert.deepEqual(typed, authorize.query.map((q) => [q.name, q.required]));
  });
});

// ---------------------------------------------------------------------------------- the client API

describe('client.call', () => {
  it('answers the body as sent, {} for an empty one', async () => {
    await emu.reset();
    const made = await client.call('CreateConversation', {
      path: { appId: 'demo-app' },
      body: { type: 'sdkGroup', displayName: 'Call', participants: [{ userExternalId: 'alice' }] },
    });
    assert.equal(made.conversation.displayName, 'Call');
    assert.ok('businessLastRead' in made.conversation, 'nulls are kept');
    const id = made.conversation.id;
    const got = await client.call('GetConversation', { path: { appId: 'demo-app', conversationId: id } });
    assert.deepEqual(got, made);
    assert.deepEqual(await client.call('DeleteConversation', { path: { appId: 'demo-app', conversationId: id } }), {});
  });

  it('wrong JavaScript types are TypeErrors naming the part; deep bodies ValidationErrors; nothing sent', async () => {
    await emu.reset();
    const circular = { a: 1 };
    circular.self = circular;
    let deep = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    const app = { appId: 'demo-app' };
    for (const [id, args, cls, field] of [
      [5, {}, TypeError, 'operationId'],
      [undefined, {}, TypeError, 'operationId'],
      ['GetApp', 'x', TypeError, 'args'],
      ['GetApp', [], TypeError, 'args'],
      ['GetApp', null, TypeError, 'args'],
      ['GetApp', { paths: app }, TypeError, 'unknown args property "paths"'],
      ['GetApp', { path: 'demo-app' }, TypeError, 'path'],
      ['GetApp', { path: { appId: 5 } }, TypeError, 'path.appId'],
      ['ListApps', { query: [1] }, TypeError, 'query'],
      ['ListApps', { query: { page: { size: 1n } } }, TypeError, 'query.page.size'],
      ['ListApps', { query: { page: { size: NaN } } }, TypeError, 'query.page.size'],
      ['CreateApp', { body: [] }, TypeError, 'body'],
      ['CreateApp', { body: { displayName: () => 1 } }, TypeError, 'body.displayName'],
      ['CreateApp', { body: { metadata: new Map() } }, TypeError, 'body.metadata'],
      ['CreateApp', { body: circular }, sunco.ValidationError, 'body.self'],
      ['CreateApp', { body: { x: deep } }, sunco.ValidationError, 'body.x'],
      ['GetApp', { path: { appId: '\uD800' } }, sunco.ValidationError, 'path.appId'],
      ['GetApp', { path: { appId: '..' } }, sunco.ValidationError, 'appId'],
      ['GetApp', {}, sunco.ValidationError, 'appId'],
      ['NoSuchOperation', {}, sunco.ValidationError, 'operationId'],
      ['Authorize', { query: { client_id: 'c', response_type: 'code' } }, sunco.ValidationError, 'operationId'],
    ]) {
      const err = await rejection(client.call(id, args));
      assert.ok(err instanceof cls, `${id} ${util.inspect(args)}: ${err}`);
      assert.ok((err.field ?? err.message).startsWith(field), `${field}: ${err.field ?? err.message}`);
    }
    for (const options of [5, { signal: 'x' }, { timeoutMs: 1 }]) {
      assert.ok((await rejection(client.call('ListApps', {}, options))) instanceof TypeError);
    }
    assert.deepEqual(await emu.requests(), [], 'nothing sent');
    // Parts left undefined are not sent, like args left out (whatever the emulator answers).
    await emu.clearRequests();
    await outcome(() => client.call('ListApps', { path: undefined, query: undefined, body: undefined }));
    await outcome(() => client.call('ListApps'));
    const log = await emu.requests();
    assert.deepEqual(log.map((r) => [r.method, r.path, r.query, r.body]), [
      ['GET', '/v2/apps', '', ''], ['GET', '/v2/apps', '', ''],
    ]);
  });

  it('the JS and core depth limits agree for args: refused by both at 128 levels from the args root', async () => {
    await emu.reset();
    const conv = await client.conversations('demo-app').create({ type: 'sdkGroup' });
    const nest = (levels) => {
      // The args object and the body are two levels; `x` adds the rest.
      let v = 1;
      for (let i = 0; i < levels - 2; i++) v = [v];
      return { path: { appId: 'demo-app', conversationId: conv.id }, body: { x: v } };
    };
    await emu.clearRequests();
    await outcome(() => client.call('UpdateConversation', nest(127))); // sent (whatever the server says)
    assert.equal((await emu.requests()).length, 1);
    const err = await rejection(client.call('UpdateConversation', nest(128)));
    assert.ok(err instanceof sunco.ValidationError, String(err));
    assert.match(err.rule, /128 levels/);
    assert.equal((await emu.requests()).length, 1, 'the refused one was not sent');
  });
});

describe('client.authorizeUrl', () => {
  it('builds the URL of the redirect, checked by the core; sends nothing', async () => {
    await emu.clearRequests();
    const url = client.authorizeUrl({ client_id: 'my app', response_type: 'code', state: 'a&b=c' });
    assert.equal(url, `${emu.url}/oauth/authorize?client_id=my%20app&response_type=code&state=a%26b%3Dc`);
    const missing = (() => {
      try {
        client.authorizeUrl({ client_id: 'x' });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    assert.ok(missing instanceof sunco.ValidationError, String(missing));
    assert.equal(missing.field, 'response_type');
    assert.throws(() => client.authorizeUrl({ client_id: 'x', response_type: 'code', scope: 'x' }),
      (e) => e instanceof sunco.ValidationError && e.field === 'scope');
    assert.throws(() => client.authorizeUrl('client_id=x'), TypeError);
    assert.throws(() => client.authorizeUrl({ client_id: 1n }), TypeError);
    assert.deepEqual(await emu.requests(), []);
  });
});

// ------------------------------------------------------------------------------------------ walks

describe('pages and iterate', () => {
  it('walk ListConversations forward, and backward from `before` (the page just before it first)', TEST, async () => {
    await emu.reset();
    const convs = client.conversations('demo-app');
    const ids = [];
    for (let i = 0; i < 30; i++) ids.push((await convs.create({ type: 'sdkGroup', participants: [{ userExternalId: 'alice' }] })).id);
    const args = (page) => ({ path: { appId: 'demo-app' }, query: { filter: { userExternalId: 'alice' }, page } });

    await emu.clearRequests();
    const back = await collect(client.iterate('ListConversations', args({ before: ids[25], size: 10 })));
    assert.deepEqual(back.map((c) => c.id), [...ids.slice(15, 25), ...ids.slice(5, 15), ...ids.slice(0, 5)]);
    const befores = (await emu.requests()).map((r) => new URLSearchParams(r.query).get('page[before]'));
    assert.deepEqual(befores, [ids[25], ids[15], ids[5]]);

    const pages = await collect(client.pages('ListConversations', args({ before: ids[25], size: 10 })));
    assert.deepEqual(pages.map((p) => p.conversations.map((c) => c.id)), [ids.slice(15, 25), ids.slice(5, 15), ids.slice(0, 5)]);
    assert.ok(pages.every((p) => 'meta' in p && 'links' in p), 'pages as sent');

    const forward = await collect(client.iterate('ListConversations', args({ after: ids[9], size: 10 })));
    assert.deepEqual(forward.map((c) => c.id), ids.slice(10));
    const all = await collect(client.iterate('ListConversations', args({ size: 7 })));
    assert.deepEqual(all.map((c) => c.id), ids, 'without a cursor ListConversations goes forward');

    // break stops fetching.
    await emu.clearRequests();
    for await (const c of client.iterate('ListConversations', args({ size: 10 }))) {
      if (c.id === ids[12]) break;
    }
    assert.equal((await emu.requests()).length, 2);
  });

  it('refuse what is not a list, and bad arguments, when the loop starts; nothing sent', async () => {
    await emu.clearRequests();
    for (const [id, args, cls, field] of [
      ['GetApp', { path: { appId: 'a' } }, sunco.ValidationError, 'operationId'],
      ['Nope', {}, sunco.ValidationError, 'operationId'],
      ['ListMessages', { path: { appId: 'a' } }, sunco.ValidationError, 'conversationId'],
      ['ListApps', { query: { page: { size: 0 } } }, sunco.ValidationError, 'page.size'],
      ['ListApps', { query: { page: { after: 'x', before: 'y' } } }, sunco.ValidationError, 'page'],
      ['ListApps', { body: {} }, sunco.ValidationError, 'body'],
      ['ListApps', { query: 5 }, TypeError, 'query'],
      [5, {}, TypeError, 'operationId'],
    ]) {
      for (const walk of ['pages', 'iterate']) {
        const err = await rejection(client[walk](id, args).next());
        assert.ok(err instanceof cls, `${walk} ${id}: ${err}`);
        assert.ok((err.field ?? err.message).startsWith(field), `${walk} ${id}: ${err.field ?? err.message}`);
      }
    }
    assert.deepEqual(await emu.requests(), []);
  });

  it('ListMessages on the emulator: posted messages come back latest page first', TEST, async () => {
    await emu.reset();
    const { conversation } = await client.call('CreateConversation', { path: { appId: 'demo-app' }, body: { type: 'sdkGroup' } });
    const path = { appId: 'demo-app', conversationId: conversation.id };
    const ids = [];
    for (let i = 0; i < 130; i++) {
      const sent = await client.call('PostMessage', {
        path, body: { author: { type: 'business' }, content: { type: 'text', text: `m${i}` } },
      });
      ids.push(sent.messages[0].id);
    }
    await emu.clearRequests();
    const pages = await collect(client.pages('ListMessages', { path }));
    // The emulator's pages hold 100 messages (page[size] does not apply to messages).
    assert.deepEqual(pages.map((p) => p.messages.map((m) => m.id)), [ids.slice(30), ids.slice(0, 30)]);
    const befores = (await emu.requests()).map((r) => new URLSearchParams(r.query).get('page[before]'));
    assert.deepEqual(befores, [null, ids[30]]);
    const texts = (await collect(client.iterate('ListMessages', { path }))).map((m) => m.content.text);
    assert.deepEqual(texts.slice(0, 2), ['m30', 'm31']);
    assert.equal(texts.length, 130);
  });

  it('ListMessages walks backward by default: the latest page first, records ascending within each', TEST, async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `5f1c6e4b3a2d1c0b9a8f${String(i).padStart(4, '0')}`);
    const seen = [];
    // Pages like the API's ListMessages: without a cursor, the latest `size` messages.
    const server = http.createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      seen.push(`${req.method} ${url.pathname}?${decodeURIComponent(url.search.slice(1))}`);
      const q = url.searchParams;
      const size = Number(q.get('page[size]') ?? 25);
      let slice;
      let hasMore;
      if (q.has('page[after]')) {
        const start = ids.indexOf(q.get('page[after]')) + 1;
        slice = ids.slice(start, start + size);
        hasMore = start + size < ids.length;
      } else {
        const end = q.has('page[before]') ? ids.indexOf(q.get('page[before]')) : ids.length;
        const start = Math.max(0, end - size);
        slice = ids.slice(start, end);
        hasMore = start > 0;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        messages: slice.map((id) => ({ id, author: { type: 'business' }, content: { type: 'text', text: id } })),
        meta: { hasMore, beforeCursor: slice[0], afterCursor: slice.at(-1) },
        links: {},
      }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const local = new Client({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: 't', maxRetries: 0 });
      const args = (page) => ({ path: { appId: 'app', conversationId: 'conv' }, query: { page } });
      const latestFirst = await collect(local.iterate('ListMessages', args({ size: 10 })));
      assert.deepEqual(latestFirst.map((m) => m.id), [...ids.slice(15), ...ids.slice(5, 15), ...ids.slice(0, 5)]);
      assert.deepEqual(seen, [
        'GET /v2/apps/app/conversations/conv/messages?page[size]=10',
        `GET /v2/apps/app/conversations/conv/messages?page[size]=10&page[before]=${ids[15]}`,
        `GET /v2/apps/app/conversations/conv/messages?page[size]=10&page[before]=${ids[5]}`,
      ]);
      const pages = await collect(local.pages('ListMessages', args({ before: ids[12], size: 5 })));
      assert.deepEqual(pages.map((p) => p.messages.map((m) => m.id)), [ids.slice(7, 12), ids.slice(2, 7), ids.slice(0, 2)]);
      const forward = await collect(local.iterate('ListMessages', args({ after: ids[19], size: 2 })));
      assert.deepEqual(forward.map((m) => m.id), ids.slice(20));
      local.close();
    } finally {
      server.close();
    }
  });
});

// ------------------------------------------------------------------------------ abort and close()

describe('cancel and close', () => {
  async function inFlight(n = 1) {
    while ((await emu.requests()).length < n) {
      // each look is a request to the emulator: no sleeping
    }
  }
  const delayEverything = () => emu.fault({ path: '/v2/**', times: 1, action: { type: 'delay', ms: FOREVER_MS } });
  const patient = () => new Client(emu.options({ timeoutMs: FOREVER_MS + 60000 }));
  const get = { path: { appId: 'demo-app', conversationId: UNKNOWN_ID } };
  const list = { path: { appId: 'demo-app' }, query: { filter: { userExternalId: 'alice' } } };
  const calls = (c, options) => ({
    call: () => c.call('GetConversation', get, options),
    pages: () => c.pages('ListConversations', list, options).next(),
    iterate: () => c.iterate('ListConversations', list, options).next(),
  });

  it('an AbortSignal aborted while the call is in flight rejects with AbortError', TEST, async () => {
    const c = patient();
    for (const name of Object.keys(calls(c))) {
      await emu.reset();
      await delayEverything();
      const controller = new AbortController();
      const pending = rejection(calls(c, { signal: controller.signal })[name]());
      await inFlight();
      controller.abort(new Error('enough'));
      const err = await pending;
      assert.ok(err instanceof sunco.AbortError, `${name}: ${err}`);
      assert.equal(err.cause.message, 'enough');
    }
    // An already aborted signal sends nothing.
    await emu.reset();
    for (const [name, f] of Object.entries(calls(c, { signal: AbortSignal.abort() }))) {
      assert.ok((await rejection(f())) instanceof sunco.AbortError, name);
    }
    assert.deepEqual(await emu.requests(), []);
  });

  it('close() rejects the call in flight and every later call with ClosedError', TEST, async () => {
    await emu.reset();
    const c = patient();
    const walk = c.pages('ListConversations', list);
    await delayEverything();
    const pending = rejection(c.call('GetConversation', get));
    await inFlight();
    c.close();
    assert.ok((await pending) instanceof sunco.ClosedError);
    await emu.clearRequests();
    for (const [name, f] of Object.entries(calls(c))) {
      assert.ok((await rejection(f())) instanceof sunco.ClosedError, name);
    }
    assert.ok((await rejection(walk.next())) instanceof sunco.ClosedError, 'a walk made before');
    assert.throws(() => c.authorizeUrl({ client_id: 'c', response_type: 'code' }), sunco.ClosedError);
    assert.deepEqual(await emu.requests(), [], 'nothing sent after close()');
  });
});

// --------------------------------------------------------------------------------------- property

/** The core's encoding of one path segment or query value: UTF-8, all but A-Z a-z 0-9 - . _ ~ escaped. */
function encode(s) {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

describe('property: any operationId and args shape', () => {
  const RUNS = Number(process.env.SUNCO_FC_RUNS) || 150;
  const FC = { numRuns: RUNS, ...(process.env.SUNCO_FC_SEED ? { seed: Number(process.env.SUNCO_FC_SEED) } : {}) };
  const ops = sunco.operations();
  const byId = new Map(ops.map((o) => [o.id, o]));
  const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
  const id = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ops.map((o) => o.id)) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('getApp', 'ListApps ', '', '\uD800')) },
  );
  const text = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('demo-app', UNKNOWN_ID, 'a/b?c=d#e', '..', '.', '', 'é 😀', '%2e', 'x'.repeat(1025)) },
    { weight: 3, arbitrary: fc.string({ unit: codeUnit, maxLength: 12 }) },
  );
  const scalar = fc.oneof(text, fc.integer({ min: -3, max: 200 }), fc.constant(null), fc.double(), fc.boolean());
  const pathNames = [...new Set(ops.flatMap((o) => o.pathParams)), 'bogus'];
  const queryNames = [...new Set(ops.flatMap((o) => o.query.map((q) => q.name))), 'bogus'];
  const keyNames = [...new Set(ops.flatMap((o) => o.query.flatMap((q) => q.keys.map((k) => k.name)))), 'bogus'];
  /** Path parameters: the operation's own, mostly well-typed, sometimes one missing or one more. */
  const pathFor = (op) => fc.record({
    own: fc.tuple(...(op ? op.pathParams : []).map(() => fc.oneof({ weight: 9, arbitrary: text }, { weight: 1, arbitrary: scalar }))),
    drop: fc.integer({ min: -3, max: 3 }),
    more: fc.option(fc.tuple(fc.constantFrom(...pathNames), text), { freq: 8 }),
  }).map(({ own, drop, more }) => {
    const p = {};
    (op ? op.pathParams : []).forEach((name, i) => {
      if (i !== drop) p[name] = own[i];
    });
    if (more) p[more[0]] = more[1];
    return p;
  });
  const query = fc.dictionary(
    fc.constantFrom(...queryNames),
    fc.oneof(scalar, fc.dictionary(fc.constantFrom(...keyNames), scalar, { maxKeys: 3 })),
    { maxKeys: 3 },
  );
  const body = fc.option(fc.oneof(
    { weight: 5, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom([], 'x', 1, null) },
  ), { freq: 3, nil: undefined });
  /** Arguments of any shape: mostly the operation's own parts, sometimes anything. */
  const anyArgs = (op) => fc.record({ path: pathFor(op), query, body }, { requiredKeys: [] });
  /** Arguments shaped as the operation says, with values that may still break its rules. */
  const cursor = fc.oneof(fc.constantFrom(UNKNOWN_ID), fc.string({ minLength: 24, maxLength: 24 }));
  const keyValue = (k) => (k.type === 'integer'
    ? fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 100 }) }, { weight: 1, arbitrary: fc.integer({ min: -5, max: 200 }) })
    : ['after', 'before'].includes(k.name) ? cursor : fc.oneof(text, fc.string({ maxLength: 10 })));
  const queryValue = (q) => (q.style === 'form'
    ? fc.oneof(text, fc.string({ maxLength: 10 }))
    : fc.record(Object.fromEntries(q.keys.map((k) => [k.name, keyValue(k)])), { requiredKeys: [] }));
  const goodText = fc.oneof(fc.constantFrom('demo-app', UNKNOWN_ID, 'a/b?c=d#e', 'é 😀', '%2e', '...', ' '), fc.string({ minLength: 1, maxLength: 12 }));
  const shapedArgs = (op) => fc.record({
    path: fc.record(Object.fromEntries(op.pathParams.map((p) => [p, goodText]))),
    query: fc.record(Object.fromEntries(op.query.map((q) => [q.name, queryValue(q)])), { requiredKeys: [] }),
    body: op.body?.contentType === 'application/json'
      ? fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 })
      : fc.constant(undefined),
  }, { requiredKeys: ['path'] });
  const args = id.chain((operationId) => {
    const op = byId.get(operationId);
    return fc.record({
      operationId: fc.constant(operationId),
      args: op ? fc.oneof({ weight: 3, arbitrary: shapedArgs(op) }, { weight: 2, arbitrary: anyArgs(op) }) : anyArgs(op),
    });
  });

  /** The request the core must send for `args`, given that it sent one. */
  function expected(op, a) {
    let p = op.path;
    for (const name of op.pathParams) p = p.replace(`{${name}}`, encode(a.path[name]));
    const query = [];
    for (const [name, value] of Object.entries(a.query ?? {})) {
      if (value === null) continue;
      const param = op.query.find((q) => q.name === name);
      if (param.style === 'form') query.push([name, value]);
      else for (const [key, v] of Object.entries(value)) if (v !== null) query.push([`${name}[${key}]`, String(v)]);
    }
    return { method: op.method, path: p, query, body: a.body ?? null };
  }

  it('gives a typed error with nothing sent, or sends exactly the request the descriptor says', TEST, async () => {
    await emu.reset();
    await fc.assert(
      fc.asyncProperty(args, async ({ operationId, args: a }) => {
        await emu.clearRequests();
        const { value, error } = await outcome(() => client.call(operationId, a));
        const log = await emu.requests();
        if (error instanceof TypeError || error instanceof sunco.ValidationError) {
          assert.deepEqual(log, [], `nothing sent: ${error}`);
          // (An unknown operation is named `operationId`, unless the arguments themselves cannot
          // be decoded, e.g. a lone surrogate in a path value, which is found first.)
          if (!byId.has(operationId) && error instanceof sunco.ValidationError && !/^(path|query|body)\b/.test(error.field)) {
            assert.equal(error.field, 'operationId');
          }
          return;
        }
        assert.ok(error === undefined || error instanceof sunco.ApiError || error instanceof sunco.DecodeError,
          `${operationId}: ${error?.stack ?? error}`);
        if (value !== undefined) assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value));
        const op = byId.get(operationId);
        assert.ok(op, `an unknown operation was sent: ${operationId}`);
        assert.equal(log.length, 1, 'one request');
        const want = expected(op, a);
        assert.equal(log[0].method, want.method);
        assert.equal(log[0].path, want.path);
        assert.deepEqual([...new URLSearchParams(log[0].query)], want.query);
        assert.deepEqual(log[0].body ? JSON.parse(log[0].body) : null, want.body === null ? null : JSON.parse(JSON.stringify(want.body)));
      }),
      FC,
    );
  });
});

describe('property: a typed method sends what client.call sends', () => {
  const RUNS = Number(process.env.SUNCO_FC_RUNS) || 100;
  const ops = MANIFEST.operations.filter((o) => !['Authorize', 'UploadAttachment'].includes(o.operationId));
  const text = fc.oneof(
    fc.constantFrom('demo-app', UNKNOWN_ID, 'a/b?c=d#e', '..', '', 'é 😀', '%2e'),
    fc.string({ maxLength: 12 }),
  );
  const args = (op) => fc.record({
    path: fc.tuple(...op.pathParams.map(() => text)).map((values) => Object.fromEntries(op.pathParams.map((p, i) => [p, values[i]]))),
    body: op.body ? fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), { nil: undefined }) : fc.constant(undefined),
    query: op.query.length ? fc.option(fc.record({ page: fc.record({ size: fc.integer({ min: -2, max: 120 }) }) }), { nil: undefined }) : fc.constant(undefined),
  });
  const describeOutcome = ({ value, error }) => (error
    ? { error: error.constructor.name, field: error.field, status: error.status }
    : { value });

  it('the same request (or none) and the same outcome, for any path values, body and query', TEST, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ops).chain((op) => fc.tuple(fc.constant(op), args(op))), async ([op, a]) => {
        const parts = { path: a.path };
        if (a.body !== undefined) parts.body = a.body;
        if (a.query !== undefined) parts.query = a.query;
        await emu.reset();
        await emu.clearRequests();
        const generic = describeOutcome(await outcome(() => client.call(op.operationId, parts)));
        const genericLog = (await emu.requests()).map((r) => [r.method, r.path, r.query, r.body]);
        await emu.reset();
        await emu.clearRequests();
        const typed = describeOutcome(await outcome(() => typedCall(client, op, parts)));
        const typedLog = (await emu.requests()).map((r) => [r.method, r.path, r.query, r.body]);
        assert.deepEqual(typedLog, genericLog, op.names.node);
        if (generic.value === undefined) assert.deepEqual(typed, generic, op.names.node);
        else assert.equal(typed.error, undefined, op.names.node);
      }),
      { numRuns: RUNS },
    );
  });
});
