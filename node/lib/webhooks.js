'use strict';
// Receiving webhooks with any server: `parse(body, headers, secret)` hands the raw body bytes,
// the headers and the secret to the core (`sunco::webhooks::parse`), which checks the
// `X-API-Key` header in constant time, refuses a body over its limit before parsing, and reads
// each event by its `type` (unknown types kept). Errors come back through the package's one
// error mapping (`fromNative` in index.js) as WebhookError subclasses with an HTTP `status`.

/** Header pairs `[names, values]` from Node's `req.headers`, a fetch `Headers`, or `[name, value]` pairs. */
function headerPairs(headers) {
  const names = [];
  const values = [];
  const add = (name, value) => {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      for (const v of value) add(name, v);
      return;
    }
    if (typeof value !== 'string') {
      throw new TypeError(`headers["${name}"] must be a string or an array of strings, got ${value === null ? 'null' : typeof value}`);
    }
    names.push(String(name));
    values.push(value);
  };
  if (headers === null || typeof headers !== 'object') {
    throw new TypeError(`headers must be an object (req.headers), a Headers or an array of [name, value], got ${headers === null ? 'null' : typeof headers}`);
  }
  if (Array.isArray(headers)) {
    for (const pair of headers) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('headers pairs must be [name, value]');
      add(pair[0], pair[1]);
    }
  } else if (typeof headers.entries === 'function' && typeof headers.get === 'function') {
    for (const [name, value] of headers.entries()) add(name, value);
  } else {
    for (const [name, value] of Object.entries(headers)) add(name, value);
  }
  return [names, values];
}

/** The body as a Buffer (no copy for a Buffer or Uint8Array; UTF-8 for a string). */
function bodyBuffer(body) {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  throw new TypeError(`body must be a Buffer, a Uint8Array or a string, got ${body === null ? 'null' : typeof body}`);
}

function make(native, fromNative) {
  const limits = native.webhookLimits();

  /**
   * Checks a webhook request and parses its body: `body` is the raw body (Buffer, Uint8Array
   * or string), `headers` the request's headers (`req.headers`, a `Headers`, or pairs), `secret`
   * the webhook's secret. Returns `{ app, webhook, events }` with every event as sent.
   */
  function parse(body, headers, secret) {
    const buf = bodyBuffer(body);
    const [names, values] = headerPairs(headers);
    if (typeof secret !== 'string') {
      throw new TypeError(`secret must be a string, got ${secret === null ? 'null' : typeof secret}`);
    }
    let text;
    try {
      text = native.webhookParse(buf, names, values, secret);
    } catch (err) {
      throw fromNative(err);
    }
    return JSON.parse(text);
  }

  /**
   * Reads a request body (any readable stream or async iterable of chunks) into one Buffer,
   * stopping after one byte more than `MAX_BODY_BYTES`, so that `parse` refuses a body that is
   * too large without it ever being held whole.
   */
  async function readBody(stream) {
    const chunks = [];
    let size = 0;
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : bodyBuffer(chunk);
      chunks.push(buf);
      size += buf.length;
      if (size > limits.maxBodyBytes) break;
    }
    return Buffer.concat(chunks, size);
  }

  return Object.freeze({
    parse,
    readBody,
    /** The header that carries the webhook's secret. */
    SECRET_HEADER: 'X-API-Key',
    /** The largest body `parse` accepts, in bytes (1 MiB). */
    MAX_BODY_BYTES: limits.maxBodyBytes,
    /** Every event type read into its own typed variant; others are kept as sent. */
    EVENT_TYPES: Object.freeze([...limits.eventTypes]),
  });
}

module.exports = { make, bodyBuffer };
