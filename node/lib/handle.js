'use strict';
// The base of every resource handle and `define`, which makes the handle classes from the
// generated tables of lib/api/handles.js. A handle holds a client and the path parameters it
// was made with; its methods only assemble `{ path, query, body }` and hand them to the
// client's generic entry, which the core checks. Nothing here knows an operation.

const CLIENT = Symbol('sunco.client');
/** The key of the client's upload method (not part of the public API). */
const UPLOAD = Symbol('sunco.upload');

function typeName(v) {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'an array' : typeof v;
}

/** What every handle has: its client and the path parameters it holds. */
class Handle {
  constructor(client, params) {
    Object.defineProperty(this, CLIENT, { value: client });
    /** The path parameters this handle holds (`appId`, `conversationId`, ...), in wire spelling. */
    Object.defineProperty(this, 'params', { value: Object.freeze({ ...params }), enumerable: true });
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `${this.constructor.name} ${JSON.stringify(this.params)}`;
  }
}

/** This handle's path parameters plus `names[i] = values[i]` (strings; undefined left out). */
function pathOf(handle, names, values) {
  const path = { ...handle.params };
  names.forEach((name, i) => {
    const value = values[i];
    if (value === undefined) return;
    if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${typeName(value)}`);
    path[name] = value;
  });
  return path;
}

/**
 * The arguments of a method call, split by the operation's shape: its positional path
 * parameters, then the body (when it takes one), the query (when it takes one), the options.
 */
function split(args, names, body, query) {
  let i = names.length;
  const out = { values: args.slice(0, i) };
  if (body) out.body = args[i++];
  if (query) out.query = args[i++];
  out.options = args[i];
  return out;
}

function callArgs(handle, names, { values, body, query }) {
  const args = { path: pathOf(handle, names, values) };
  if (body !== undefined) args.body = body;
  if (query !== undefined) args.query = query;
  return args;
}

function named(name, fn) {
  return Object.defineProperty(fn, 'name', { value: name });
}

/**
 * A handle class named `name`: one method per row `[method, operationId, pathNames, body,
 * query, paginated]` (a paginated list also gets `pages()` and `iterate()`), and one accessor
 * per entry of `children` (`{ messages: [Messages, ['conversationId']] }`).
 */
function define(name, rows, children = {}) {
  const cls = { [name]: class extends Handle {} }[name];
  const proto = cls.prototype;
  for (const [method, operationId, names, body, query, paginated] of rows) {
    if (operationId === 'UploadAttachment') {
      proto[method] = named(method, async function upload(file, q, options) {
        return this[CLIENT][UPLOAD](this.params.appId, file, q, options);
      });
      continue;
    }
    proto[method] = named(method, async function (...args) {
      const parts = split(args, names, body, query);
      return this[CLIENT].call(operationId, callArgs(this, names, parts), parts.options);
    });
    if (paginated) {
      proto.pages = named('pages', function (...args) {
        const parts = split(args, names, false, query);
        return this[CLIENT].pages(operationId, callArgs(this, names, parts), parts.options);
      });
      proto.iterate = named('iterate', function (...args) {
        const parts = split(args, names, false, query);
        return this[CLIENT].iterate(operationId, callArgs(this, names, parts), parts.options);
      });
    }
  }
  for (const [accessor, [Child, names]] of Object.entries(children)) {
    proto[accessor] = named(accessor, function (...values) {
      return new Child(this[CLIENT], pathOf(this, names, values));
    });
  }
  return cls;
}

module.exports = { Handle, define, UPLOAD };
