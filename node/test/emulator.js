'use strict';
// Test support: a fresh emulator (the binary named by SUNCO_EMULATOR) per test file.
const { spawn } = require('node:child_process');
const readline = require('node:readline');

/**
 * Starts `$SUNCO_EMULATOR --port 0` and resolves once it has printed its base URL (its first line
 * of output): no sleeping, no polling.
 */
async function startEmulator() {
  const bin = process.env.SUNCO_EMULATOR;
  if (!bin) {
    throw new Error('set SUNCO_EMULATOR to the sunco-emulator binary (make test-node does)');
  }
  const child = spawn(bin, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before printing its URL`)));
  });
  return new Emulator(url, child);
}

class Emulator {
  constructor(url, child) {
    this.url = url;
    this.child = child;
  }

  /** Stops the emulator and waits for it to exit. */
  async stop() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  async control(method, path, body) {
    const res = await fetch(`${this.url}/_emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator control ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  reset() {
    return this.control('POST', 'reset');
  }

  clearRequests() {
    return this.control('DELETE', 'requests');
  }

  async requests() {
    return (await this.control('GET', 'requests')).requests;
  }

  /** Queues a fault rule: `{ method, path, times, action }`. */
  fault(rule) {
    return this.control('POST', 'faults', rule);
  }

  clearFaults() {
    return this.control('DELETE', 'faults');
  }

  /** The id of a seed user, looked up by external id. */
  async userId(externalId) {
    const res = await fetch(`${this.url}/v2/apps/demo-app/users/${encodeURIComponent(externalId)}`, {
      headers: { authorization: `Basic ${Buffer.from('demo-key:demo-secret').toString('base64')}` },
    });
    if (!res.ok) throw new Error(`user ${externalId}: ${res.status}`);
    return (await res.json()).user.id;
  }

  /** Client options aimed at this emulator with the demo key. */
  options(extra = {}) {
    return { baseUrl: this.url, keyId: 'demo-key', keySecret: 'demo-secret', maxRetries: 0, ...extra };
  }
}

module.exports = { startEmulator };
