'use strict';
// Runs every shared case in tests/vectors/ through the public JavaScript API (see
// tests/vectors/README.md): reset, setup, clear the log, call, then compare the one request the
// emulator saw and the result or error.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const sunco = require('sunco');
const { startEmulator } = require('./emulator.js');

const VECTORS = path.join(__dirname, '..', '..', 'tests', 'vectors');

function loadCases() {
  const files = fs.readdirSync(VECTORS).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length >= 6, `vectors missing in ${VECTORS}`);
  return files.flatMap((file) =>
    JSON.parse(fs.readFileSync(path.join(VECTORS, file), 'utf8')).cases.map((c) => ({ file, c })),
  );
}

/** The vector's wire `{filter, page}` as the flat parameters of `list()`. */
function flatParams(params = {}) {
  return { ...(params.filter ?? {}), ...(params.page ?? {}) };
}

async function run(convs, c) {
  const id = c.conversationId ?? '';
  switch (c.op) {
    case 'create':
      return convs.create(c.body);
    case 'get':
      return convs.get(id);
    case 'list':
      return convs.list(flatParams(c.params));
    case 'update':
      return convs.update(id, c.body);
    case 'delete':
      await convs.delete(id);
      return true;
    case 'download_message_ref':
      return convs.downloadMessageRef(id, c.body);
    default:
      throw new Error(`unknown op ${c.op}`);
  }
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
  const body = got.body ? JSON.parse(got.body) : null;
  assert.deepEqual(body, expected.body, 'body');
}

const API_CLASSES = {
  400: sunco.BadRequestError,
  401: sunco.AuthenticationError,
  403: sunco.AuthenticationError,
  404: sunco.NotFoundError,
  429: sunco.RateLimitError,
};

function checkResult(expect, outcome) {
  if (!expect.error) {
    if (outcome.error) throw outcome.error;
    const got = outcome.value;
    if (expect.ok !== true) {
      for (const [key, value] of Object.entries(expect.ok)) {
        assert.deepEqual(got[key], value, `result field ${key}`);
      }
    }
    for (const key of expect.absent ?? []) {
      assert.ok(!(key in got), `${key} must be absent`);
    }
    return;
  }
  const err = outcome.error;
  assert.ok(err, `expected a ${expect.error} error, got ${JSON.stringify(outcome.value)}`);
  if (expect.error === 'validation') {
    assert.ok(err instanceof sunco.ValidationError, `ValidationError expected, got ${err}`);
    assert.equal(err.field, expect.field);
    assert.equal(typeof err.rule, 'string');
  } else if (expect.error === 'api') {
    assert.ok(err instanceof sunco.ApiError, `ApiError expected, got ${err}`);
    assert.equal(err.status, expect.status);
    assert.equal(err.code, expect.code);
    const cls = API_CLASSES[expect.status] ?? (expect.status >= 500 ? sunco.ServerError : sunco.ApiError);
    assert.ok(err instanceof cls, `${cls.name} expected for ${expect.status}, got ${err.name}`);
  } else {
    assert.fail(`unknown expectation ${expect.error}`);
  }
}

describe('shared vectors', () => {
  let emu;
  let client;
  before(async () => {
    emu = await startEmulator();
    client = new sunco.Client(emu.options());
  });
  after(() => emu.stop());

  const cases = loadCases();
  it('are all present', () => assert.ok(cases.length >= 50, `only ${cases.length} vectors`));

  for (const { file, c: original } of cases) {
    it(`${file}: ${original.name}`, async () => {
      await emu.reset();
      let raw = JSON.stringify(original);
      if (original.setup?.conversation) {
        const conv = await client.conversations('demo-app').create(original.setup.conversation);
        raw = raw.replaceAll('${conversationId}', conv.id);
      }
      if (raw.includes('${aliceId}')) {
        raw = raw.replaceAll('${aliceId}', await emu.userId('alice'));
      }
      const c = JSON.parse(raw);
      await emu.clearRequests();
      const convs = client.conversations(c.appId);
      const outcome = await run(convs, c).then(
        (value) => ({ value }),
        (error) => ({ error }),
      );
      checkRequest(c.request, await emu.requests());
      checkResult(c.expect, outcome);
    });
  }
});
