'use strict';
// Message content without writing JSON by hand, mirroring the core's `content.rs`: each
// builder returns the plain wire object (`{ type: 'text', text, actions }`), which any method
// taking a message accepts. Only JavaScript types are checked here (TypeError); the rules of
// the API (lengths, counts, URLs) are checked by the core when the message is sent.

function str(name, value) {
  if (typeof value !== 'string') {
    throw new TypeError(`${name} must be a string, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

function list(name, value) {
  if (!Array.isArray(value)) {
    throw new TypeError(`${name} must be an array, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** `{ actions }` when there are some, else nothing (an absent field, not an empty array). */
function withActions(content, actions) {
  if (actions === undefined) return content;
  list('actions', actions);
  return actions.length ? { ...content, actions: [...actions] } : content;
}

/** `type: text`, with optional actions (quick replies, buttons). */
function text(body, actions) {
  return withActions({ type: 'text', text: str('text', body) }, actions);
}

/** `type: image` from a URL (such as an uploaded attachment's `mediaUrl`), with optional actions. */
function image(mediaUrl, actions) {
  return withActions({ type: 'image', mediaUrl: str('mediaUrl', mediaUrl) }, actions);
}

/** `type: file` from a URL (such as an uploaded attachment's `mediaUrl`). */
function file(mediaUrl) {
  return { type: 'file', mediaUrl: str('mediaUrl', mediaUrl) };
}

/** `type: carousel` of these items (the API takes 1 to 10). */
function carousel(items) {
  return { type: 'carousel', items: [...list('items', items)] };
}

/** One item of a carousel: a title, its actions, and optionally a description and an image. */
function item(title, actions = [], extra = {}) {
  const out = { title: str('title', title), actions: [...list('actions', actions)] };
  if (extra.description !== undefined) out.description = str('description', extra.description);
  if (extra.mediaUrl !== undefined) out.mediaUrl = str('mediaUrl', extra.mediaUrl);
  return out;
}

/** A quick reply: a button that sends `text` back as the user's message, with `payload`. */
function reply(label, payload) {
  return { type: 'reply', text: str('text', label), payload: str('payload', payload) };
}

/** A button that sends a `conversation:postback` webhook with `payload`. */
function postback(label, payload) {
  return { type: 'postback', text: str('text', label), payload: str('payload', payload) };
}

/** A button that opens `uri`. */
function link(label, uri) {
  return { type: 'link', text: str('text', label), uri: str('uri', uri) };
}

/** A message from the business (`author.type: business`): the body of `messages(id).post()`. */
function business(content) {
  return { author: { type: 'business' }, content };
}

/** A message on behalf of the user with this id (`author.type: user`, `author.userId`). */
function fromUser(userId, content) {
  return { author: { type: 'user', userId: str('userId', userId) }, content };
}

module.exports = { text, image, file, carousel, item, reply, postback, link, business, fromUser };
