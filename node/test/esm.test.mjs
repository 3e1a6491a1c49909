// The ESM entry point: named and default imports give the same objects as require().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import sunco, { Client, NotFoundError, ValidationError, SuncoError, VERSION } from 'sunco';

const require = createRequire(import.meta.url);

test('import and require agree', () => {
  const cjs = require('sunco');
  assert.equal(Client, cjs.Client);
  assert.equal(NotFoundError, cjs.NotFoundError);
  assert.equal(sunco, cjs);
  assert.equal(VERSION, require('sunco/package.json').version);
  assert.ok(new ValidationError('x') instanceof SuncoError);
});

test('import exports every name require() does', async () => {
  const cjs = require('sunco');
  const esm = await import('sunco');
  for (const name of Object.keys(cjs)) {
    assert.ok(name in esm, `ESM lacks ${name}`);
    assert.equal(esm[name], cjs[name], name);
  }
});
