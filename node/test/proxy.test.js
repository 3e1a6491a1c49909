'use strict';
// The `proxy` option and the proxy environment variables. Nothing leaves 127.0.0.1: the proxies
// are local listeners that record what they receive, and the https "servers" behind them are
// never reached (a name under .invalid, which the client does not resolve when it uses a proxy).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { once } = require('node:events');
const { execFile } = require('node:child_process');

const sunco = require('sunco');
const { Client } = sunco;
const { startEmulator } = require('./emulator.js');

const HOST = 'sunco-proxy-test.invalid';
const TOKEN = 'api-token-that-only-the-api-may-see';

let emu;
before(async () => {
  emu = await startEmulator();
});
after(() => emu.stop());

/**
 * A local listener standing in for a proxy: records the head of every request it receives and
 * refuses it (403), so the client's call fails without going anywhere.
 */
async function recordingProxy() {
  const heads = [];
  const server = net.createServer((socket) => {
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n\r\n')) {
        heads.push(data.slice(0, data.indexOf('\r\n\r\n')));
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      }
    });
    socket.on('error', () => {});
  });
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    heads,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Header names of a recorded request head, lower-cased. */
function headerNames(head) {
  return head.split('\r\n').slice(1).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'];

/** Runs `script` in a fresh Node process with `env` (proxy variables and NO_PROXY replaced). */
function runChild(script, env) {
  const childEnv = { ...process.env };
  for (const k of [...PROXY_VARS, 'NO_PROXY', 'no_proxy']) delete childEnv[k];
  Object.assign(childEnv, env, { SUNCO_PKG: require.resolve('sunco') });
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { env: childEnv, timeout: 60000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code ?? 1 : 0, stdout, stderr });
    });
  });
}

describe('proxy', () => {
  it('a loopback base URL never goes through a proxy, whatever the environment or the options say', async () => {
    const proxy = await recordingProxy();
    try {
      await emu.reset();
      const env = Object.fromEntries(PROXY_VARS.map((k) => [k, proxy.url]));
      const script = `
        const { Client, NotFoundError } = require(process.env.SUNCO_PKG);
        (async () => {
          for (const extra of [{}, { proxy: process.env.HTTPS_PROXY }]) {
            const convs = new Client({ baseUrl: process.env.EMU, keyId: 'demo-key', keySecret: 'demo-secret',
                                       maxRetries: 0, ...extra }).conversations('demo-app');
            const conv = await convs.create({ type: 'sdkGroup', participants: [{ userExternalId: 'alice' }] });
            await convs.get(conv.id);
          }
          console.log('ok');
        })().catch((e) => { console.error(e); process.exit(1); });`;
      const child = await runChild(script, { ...env, EMU: emu.url });
      assert.equal(child.code, 0, child.stderr);
      assert.equal(child.stdout.trim(), 'ok');
      assert.equal(proxy.connections(), 0, 'the proxy never saw a connection');
      assert.equal((await emu.requests()).length, 4, 'every call reached the emulator directly');
    } finally {
      await proxy.close();
    }
  });

  it('an https base URL goes through `proxy` with CONNECT host:443; the proxy never sees the API credentials', async () => {
    const proxy = await recordingProxy();
    try {
      const client = new Client({ baseUrl: `https://${HOST}`, token: TOKEN, proxy: proxy.url, maxRetries: 0 });
      const err = await (async () => {
        try {
          await client.conversations('demo-app').get('c1');
        } catch (e) {
          return e;
        }
        assert.fail('expected a rejection');
      })();
      assert.ok(err instanceof sunco.TransportError, String(err));
      assert.equal(err.kind, 'connect');
      assert.equal(proxy.heads.length, 1);
      const [head] = proxy.heads;
      assert.match(head, new RegExp(`^CONNECT ${HOST.replaceAll('.', '\\.')}:443 HTTP/1\\.1\\r\\n`));
      assert.ok(!headerNames(head).includes('authorization'), head);
      assert.ok(!headerNames(head).includes('proxy-authorization'), head);
      assert.ok(!head.includes(TOKEN), head);
    } finally {
      await proxy.close();
    }
  });

  it('proxy credentials go to the proxy only as Proxy-Authorization, never the API token', async () => {
    const proxy = await recordingProxy();
    try {
      const withUser = proxy.url.replace('http://', 'http://proxy-user:proxy-pass@');
      const client = new Client({ baseUrl: `https://${HOST}`, token: TOKEN, proxy: withUser, maxRetries: 0 });
      await assert.rejects(client.conversations('demo-app').get('c1'), sunco.TransportError);
      const [head] = proxy.heads;
      assert.match(head, /^CONNECT /);
      assert.ok(headerNames(head).includes('proxy-authorization'), head);
      assert.ok(!headerNames(head).includes('authorization'), head);
      assert.ok(!head.includes(TOKEN), head);
      // The proxy URL holds a password: it is never shown.
      assert.ok(!require('node:util').inspect(client).includes('proxy-pass'));
    } finally {
      await proxy.close();
    }
  });

  it('without the option, HTTPS_PROXY applies; the option wins over it', async () => {
    const fromEnv = await recordingProxy();
    const fromOption = await recordingProxy();
    try {
      const script = `
        const { Client, TransportError } = require(process.env.SUNCO_PKG);
        (async () => {
          const kinds = [];
          for (const extra of [{}, { proxy: process.env.OPTION_PROXY }]) {
            const c = new Client({ baseUrl: 'https://${HOST}', token: '${TOKEN}', maxRetries: 0, ...extra });
            try { await c.conversations('demo-app').get('c1'); kinds.push('resolved'); }
            catch (e) { kinds.push(e instanceof TransportError ? e.kind : String(e)); }
          }
          console.log(kinds.join(','));
        })();`;
      const child = await runChild(script, { HTTPS_PROXY: fromEnv.url, OPTION_PROXY: fromOption.url });
      assert.equal(child.code, 0, child.stderr);
      assert.equal(child.stdout.trim(), 'connect,connect');
      assert.equal(fromEnv.heads.length, 1, 'the first client used HTTPS_PROXY');
      assert.equal(fromOption.heads.length, 1, 'the second used its option, not HTTPS_PROXY');
      for (const head of [...fromEnv.heads, ...fromOption.heads]) {
        assert.match(head, new RegExp(`^CONNECT ${HOST.replaceAll('.', '\\.')}:443 `));
        assert.ok(!head.includes(TOKEN));
      }
    } finally {
      await fromEnv.close();
      await fromOption.close();
    }
  });

  it('an unusable proxy option is a ConfigError (TypeError for a non-string)', () => {
    for (const proxy of ['socks5://127.0.0.1:1', 'not a url', 'http://']) {
      assert.throws(() => new Client({ region: 'eu', token: 't', proxy }), sunco.ConfigError, proxy);
      // Also where it would not be used: a loopback base URL.
      assert.throws(() => new Client({ baseUrl: emu.url, token: 't', proxy }), sunco.ConfigError, proxy);
    }
    assert.throws(() => new Client({ region: 'eu', token: 't', proxy: 5 }), TypeError);
  });
});
