'use strict';
// Shared helpers of the Node drivers: arguments, clocks, the workload loops, and the one JSON
// line every driver prints. See bench/README.md for the protocol.
const fs = require('node:fs');

const clock = () => process.hrtime.bigint(); // CLOCK_MONOTONIC, like the other drivers

function args() {
  const out = {};
  for (const a of process.argv.slice(2)) {
    const i = a.indexOf('=');
    if (i > 0) out[a.slice(0, i)] = a.slice(i + 1);
  }
  return out;
}

function ids(a) {
  const out = fs.readFileSync(a.ids, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  if (out.length === 0) throw new Error(`ids=${a.ids} is empty`);
  return out;
}

// User + system CPU of this process so far (getrusage through libuv), in nanoseconds.
function cpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

function emit(obj) {
  // BigInt timestamps are printed as plain integers.
  const text = JSON.stringify(obj, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  process.stdout.write(text + '\n');
}

function check(want, got) {
  if (want !== got) throw new Error(`asked for conversation ${want}, got ${got}`);
}

// (a) n gets, one after another; `get(id)` resolves to the id it received.
async function sequential(get, a) {
  const list = ids(a);
  const n = Number(a.n ?? 5000);
  const warm = Number(a.warmup ?? 100);
  for (let i = 0; i < warm; i++) check(list[i % list.length], await get(list[i % list.length]));
  const lat = new Array(n);
  const cpu0 = cpuNs();
  const t0 = clock();
  for (let i = 0; i < n; i++) {
    const id = list[i % list.length];
    const s = clock();
    const got = await get(id);
    lat[i] = Number(clock() - s);
    check(id, got);
  }
  const t1 = clock();
  const cpu1 = cpuNs();
  return { workload: 'get', requests: n, wall_ns: t1 - t0, cpu_ns: cpu1 - cpu0, lat_ns: lat };
}

// (c) n gets with `conc` promise chains in flight, each taking the next index.
async function concurrent(get, a) {
  const list = ids(a);
  const n = Number(a.n ?? 10000);
  const conc = Number(a.conc ?? 64);
  const run = async (total) => {
    let next = 0;
    const lat = [];
    const chain = async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const id = list[i % list.length];
        const s = clock();
        const got = await get(id);
        lat.push(Number(clock() - s));
        check(id, got);
      }
    };
    await Promise.all(Array.from({ length: conc }, chain));
    return lat;
  };
  await run(Math.max(Number(a.warmup ?? 100), conc));
  const cpu0 = cpuNs();
  const t0 = clock();
  const lat = await run(n);
  const t1 = clock();
  const cpu1 = cpuNs();
  return {
    workload: 'concurrent', requests: n, concurrency: conc, wall_ns: t1 - t0,
    cpu_ns: cpu1 - cpu0, lat_ns: lat,
  };
}

// (b) every page; `page(after)` resolves to [count, nextCursor | null].
async function walk(page, a) {
  const expect = Number(a.expect ?? 0);
  const lat = [];
  let items = 0;
  let after = null;
  const cpu0 = cpuNs();
  const t0 = clock();
  do {
    const s = clock();
    const [count, next] = await page(after);
    lat.push(Number(clock() - s));
    items += count;
    if (next !== null && next === after) throw new Error(`cursor ${next} repeats: stuck on one page`);
    after = next;
  } while (after !== null);
  const t1 = clock();
  const cpu1 = cpuNs();
  if (expect && items !== expect) throw new Error(`walked ${items} conversations, expected ${expect}`);
  return {
    workload: 'list', requests: lat.length, items, wall_ns: t1 - t0, cpu_ns: cpu1 - cpu0, lat_ns: lat,
  };
}

// (d) timestamps (CLOCK_MONOTONIC): driver start, package required, client made, first answer.
async function cold(tMain, tImported, tReady, get, a) {
  const want = ids(a)[0];
  check(want, await get(want));
  return {
    workload: 'cold', requests: 1, t_main_ns: tMain, t_imported_ns: tImported, t_ready_ns: tReady,
    t_first_ns: clock(),
  };
}

function main(fn) {
  fn().then(emit, (err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
}

module.exports = { args, ids, clock, emit, check, sequential, concurrent, walk, cold, main };
