'use strict';
// Loads the native addon through napi-rs's generated loader (native.js): in a checkout, the
// `sunco.<platform>.node` beside it; from npm, the package `sunco-<platform>` that npm installed
// as an optional dependency (the one whose `os`, `cpu` and `libc` fit this machine).
// On a platform with no addon, the error names the platforms that have one.

const TRIPLES = {
  'x86_64-unknown-linux-gnu': 'linux-x64-gnu (Linux x86_64, glibc 2.17 or later)',
  'x86_64-unknown-linux-musl': 'linux-x64-musl (Linux x86_64, musl: Alpine)',
  'aarch64-unknown-linux-gnu': 'linux-arm64-gnu (Linux aarch64, glibc 2.17 or later)',
  'aarch64-unknown-linux-musl': 'linux-arm64-musl (Linux aarch64, musl: Alpine)',
};

function supportedPlatforms() {
  const { napi } = require('./package.json');
  return napi.targets.map((triple) => TRIPLES[triple] || triple);
}

function here() {
  let libc = '';
  if (process.platform === 'linux') {
    const report = process.report && process.report.getReport ? process.report.getReport() : null;
    libc = report && report.header && report.header.glibcVersionRuntime ? '-gnu' : '-musl';
  }
  return `${process.platform}-${process.arch}${libc}`;
}

try {
  module.exports = require('./native.js');
} catch (cause) {
  const error = new Error(
    `sunco: no native addon could be loaded for this platform (${here()}, Node.js ${process.version}). ` +
      `sunco ships addons for: ${supportedPlatforms().join('; ')}. ` +
      'On one of those, reinstall without --no-optional / --omit=optional so that npm installs ' +
      'the matching sunco-<platform> package; elsewhere, build the addon from source (node/README.md). ' +
      'What the loader tried is in error.cause.',
  );
  error.code = 'SUNCO_UNSUPPORTED_PLATFORM';
  error.cause = cause;
  throw error;
}
