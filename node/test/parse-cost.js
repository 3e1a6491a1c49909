'use strict';
// The cost of webhooks.parse per event (secret check, native call, JSON.parse of the result):
// `node test/parse-cost.js` prints the median of 15 rounds for a one-event body and for the
// 25-event batch of every spec example. Not part of the test suite (timing is not a test).
const fs = require('node:fs');
const path = require('node:path');
const { webhooks } = require('sunco');

const examples = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'webhooks', 'spec_examples.json'), 'utf8'),
).examples;
const one = Buffer.from(JSON.stringify(examples['conversation:message']));
const batch = Buffer.from(JSON.stringify({
  app: { id: 'app' },
  webhook: { id: 'wh', version: 'v2' },
  events: Object.values(examples).flatMap((b) => b.events),
}));
const headers = { 'x-api-key': 'secret' };

function perEvent(body, events, n) {
  const rounds = [];
  for (let r = 0; r < 15; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) webhooks.parse(body, headers, 'secret');
    rounds.push(Number(process.hrtime.bigint() - t) / 1e3 / n / events);
  }
  return rounds.sort((a, b) => a - b)[7];
}

for (let i = 0; i < 2000; i++) webhooks.parse(one, headers, 'secret'); // warm up
console.log(`one event (${one.length} bytes): ${perEvent(one, 1, 2000).toFixed(1)} us per event`);
console.log(`25-event batch (${batch.length} bytes): ${perEvent(batch, 25, 200).toFixed(1)} us per event`);
