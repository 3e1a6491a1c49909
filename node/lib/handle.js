'use strict';
// The base of every resource handle (lib/api/handles.js, generated): a client and the path
// parameters the handle holds. Its methods only assemble `{ path, query, body }` and hand them
// to the client's generic entry, which the core checks; nothing here knows an operation.

const CLIENT = Symbol('sunco.client');

/** What every handle has: its client and the path parameters it holds. */
class Handle {
  constructor(client, params) {
    Object.defineProperty(this, CLIENT, { value: client });
    /** The path parameters this handle holds (`appId`, `conversationId`, ...), in wire spelling. */
    Object.defineProperty(this, 'params', { value: Object.freeze({ ...params }), enumerable: true });
  }

  /** A handle of `Cls` holding this one's parameters and `names[i] = values[i]`. */
  child_(Cls, names, values) {
    return new Cls(this[CLIENT], this.#path(names, values));
  }

  #path(names, values) {
    const path = { ...this.params };
    names.forEach((name, i) => {
      if (values[i] !== undefined) {
        if (typeof values[i] !== 'string') {
          throw new TypeError(`${name} must be a string, got ${values[i] === null ? 'null' : typeof values[i]}`);
        }
        path[name] = values[i];
      }
    });
    return path;
  }

  #args(names, values, body, query) {
    const args = { path: this.#path(names, values) };
    if (body !== undefined) args.body = body;
    if (query !== undefined) args.query = query;
    return args;
  }

  /** One call of `operationId` through `client.call`. */
  async call_(operationId, names, values, body, query, options) {
    return this[CLIENT].call(operationId, this.#args(names, values, body, query), options);
  }

  /** Every page of a list operation through `client.pages`. */
  pages_(operationId, names, values, query, options) {
    return this[CLIENT].pages(operationId, this.#args(names, values, undefined, query), options);
  }

  /** Every record of a list operation through `client.iterate`. */
  iterate_(operationId, names, values, query, options) {
    return this[CLIENT].iterate(operationId, this.#args(names, values, undefined, query), options);
  }

  /** `UploadAttachment` of this handle's app. */
  async upload_(file, query, options) {
    return this[CLIENT][Handle.UPLOAD](this.params.appId, file, query, options);
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `${this.constructor.name} ${JSON.stringify(this.params)}`;
  }
}

/** The key of the client's upload method (not part of the public API). */
Handle.UPLOAD = Symbol('sunco.upload');

module.exports = { Handle };
