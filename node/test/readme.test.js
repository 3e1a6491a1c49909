'use strict';
// Every JavaScript and TypeScript example in the Node section of README.md, and in the
// package's own node/README.md, runs as written against a fresh emulator: a ```js block as an ES
// module (CommonJS if it has no `import`), a ```ts block compiled by `tsc --strict` first. Each
// runs in an empty directory where `sunco` is this package, with SUNCO_BASE_URL, SUNCO_KEY_ID,
// SUNCO_KEY_SECRET and SUNCO_APP_ID set as `scripts/with-emulator.sh` sets them.
const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');

const { startEmulator } = require('./emulator.js');

const NODE_DIR = path.resolve(__dirname, '..');
const REPO = path.resolve(NODE_DIR, '..');
const TSC = path.join(NODE_DIR, 'node_modules', '.bin', 'tsc');

/** The lines of `markdown` from the `## Node` heading to the next `## ` heading. */
function nodeSection(markdown) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === '## Node');
  assert.ok(start >= 0, 'README.md has a "## Node" section');
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  return { lines: lines.slice(start, end), offset: start };
}

/** Fenced ```js / ```ts blocks: `{ lang, code, line }` (line is 1-based, in the file). */
function codeBlocks({ lines, offset }) {
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(js|javascript|mjs|cjs|ts|typescript)\s*$/.exec(lines[i]);
    if (!open) continue;
    const close = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    assert.ok(close > i, `unclosed code block at line ${offset + i + 1}`);
    const lang = /^t/.test(open[1]) ? 'ts' : 'js';
    blocks.push({ lang, code: lines.slice(i + 1, close).join('\n') + '\n', line: offset + i + 1 });
    i = close;
  }
  return blocks;
}

function run(file, args, options) {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 120000, maxBuffer: 16 << 20, ...options }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code ?? 1 : 0, stdout, stderr });
    });
  });
}

const sandboxes = [];
after(() => {
  for (const dir of sandboxes) fs.rmSync(dir, { recursive: true, force: true });
});

/** An empty directory where `sunco` resolves to this package (and `@types/node` is there for tsc). */
function sandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sunco-readme-'));
  sandboxes.push(dir);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(NODE_DIR, path.join(dir, 'node_modules', 'sunco'), 'dir');
  fs.symlinkSync(path.join(NODE_DIR, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'), 'dir');
  return dir;
}

async function runExample({ lang, code }) {
  const dir = sandbox();
  let entry;
  if (lang === 'ts') {
    fs.writeFileSync(path.join(dir, 'example.mts'), code);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022'],
        types: ['node'],
        outDir: 'out',
      },
      files: ['example.mts'],
    }));
    const tsc = await run(TSC, ['-p', dir], { cwd: dir });
    assert.equal(tsc.code, 0, `tsc --strict failed:\n${tsc.stdout}${tsc.stderr}`);
    entry = path.join(dir, 'out', 'example.mjs');
  } else {
    entry = path.join(dir, /^\s*import\s/m.test(code) ? 'example.mjs' : 'example.cjs');
    fs.writeFileSync(entry, code);
  }
  const emu = await startEmulator();
  try {
    const env = {
      ...process.env,
      SUNCO_BASE_URL: emu.url,
      SUNCO_KEY_ID: 'demo-key',
      SUNCO_KEY_SECRET: 'demo-secret',
      SUNCO_APP_ID: 'demo-app',
    };
    for (const k of ['SUNCO_REGION', 'SUNCO_SUBDOMAIN', 'SUNCO_AUTH', 'SUNCO_TOKEN']) delete env[k];
    const result = await run(process.execPath, [entry], { cwd: dir, env });
    assert.equal(result.code, 0, `the example failed:\n${code}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`);
  } finally {
    await emu.stop();
  }
}

for (const [name, file, section] of [
  ['README.md, section Node', path.join(REPO, 'README.md'), nodeSection],
  ['node/README.md', path.join(NODE_DIR, 'README.md'), (md) => ({ lines: md.split('\n'), offset: 0 })],
]) {
  describe(`${name}: every example runs as written`, () => {
    const blocks = codeBlocks(section(fs.readFileSync(file, 'utf8')));
    it('has examples in both languages', () => {
      assert.ok(blocks.filter((b) => b.lang === 'js').length >= 4, 'JavaScript examples');
      assert.ok(blocks.some((b) => b.lang === 'ts'), 'a TypeScript example');
    });
    for (const block of blocks) {
      it(`${path.basename(file)}:${block.line} (${block.lang})`, () => runExample(block));
    }
  });
}
