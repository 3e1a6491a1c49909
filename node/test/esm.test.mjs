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
