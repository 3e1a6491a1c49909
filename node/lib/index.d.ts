// Types of the npm package `sunco` (hand-written; the native layer's own types are ../native.d.ts).

/** The version of this package. */
export declare const VERSION: string;

// ------------------------------------------------------------------------------------ configuration

/** A Sunshine Conversations region. */
export type Region = 'us' | 'eu';

interface CommonOptions {
  /** API key id (`app_...` or `int_...`); used with `keySecret`. */
  keyId?: string;
  /** API key secret. Kept on the native side only: never shown by `util.inspect`. */
  keySecret?: string;
  /** How the key is used: HTTP Basic (default) or a client-signed JWT (HS256, scope `app`). */
  auth?: 'basic' | 'jwt';
  /** A bearer token obtained elsewhere, instead of a key. */
  token?: string;
  /** Timeout of one whole attempt (connect, send, read), in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Timeout for opening a connection, in milliseconds. Default 10000. */
  connectTimeoutMs?: number;
  /** Retries after the first attempt (0 turns retries off). Default 3. */
  maxRetries?: number;
  /**
   * An HTTPS proxy, `http://[user:pass@]host:port`: it receives `CONNECT host:443` and sees only
   * encrypted traffic. Without it, `HTTPS_PROXY` / `ALL_PROXY` (with `NO_PROXY`) apply. A loopback
   * base URL (the emulator) never goes through a proxy.
   */
  proxy?: string;
}

/**
 * What the package uses of an `AbortSignal` (declared here so that the types need neither the DOM
 * library nor `@types/node`); any `AbortSignal` fits.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Options every method takes last. */
export interface CallOptions {
  /**
   * Cancels the call: its request is dropped (the connection closed if it was in flight) and the
   * call rejects with {@link AbortError}. An already aborted signal rejects at once, sending
   * nothing. For `pages()` and `iterate()` it covers every page.
   */
  signal?: AbortSignalLike;
}

/**
 * Fields the API accepts that this version does not model yet: sent as top-level fields of the
 * body, as given. A name the body already has is refused (`ValidationError`, field `extra.<name>`).
 */
export type ExtraFields = Record<string, unknown>;

/** Where to connect: at most one of `baseUrl`, `region` and `subdomain` (default: region `us`). */
export type ClientOptions = CommonOptions &
  (
    | { baseUrl?: string; region?: undefined; subdomain?: undefined }
    | { region: Region; baseUrl?: undefined; subdomain?: undefined }
    | { subdomain: string; baseUrl?: undefined; region?: undefined }
  );

// ------------------------------------------------------------------------------------------- models

/** A conversation type; values this version does not know yet come through as strings. */
export type ConversationType = 'personal' | 'sdkGroup' | (string & {});

/** One metadata value: metadata is a flat object of strings, numbers and booleans. */
export type MetadataValue = string | number | boolean;

/** Conversation metadata (at most 4 KB as JSON). */
export interface Metadata {
  [key: string]: MetadataValue;
}

/** A switchboard integration attached to a conversation. */
export interface SwitchboardIntegration {
  id?: string;
  name?: string;
  integrationId?: string;
  integrationType?: string;
  [key: string]: unknown;
}

/**
 * A conversation, exactly as the API sent it: key order, `null`s and fields unknown to this
 * version are kept.
 */
export interface Conversation {
  id: string;
  type: ConversationType;
  metadata?: Metadata;
  activeSwitchboardIntegration?: SwitchboardIntegration;
  pendingSwitchboardIntegration?: SwitchboardIntegration;
  isDefault?: boolean;
  displayName?: string;
  description?: string;
  iconUrl?: string;
  /** `null` until the business has read the conversation. */
  businessLastRead?: string | null;
  lastUpdatedAt?: string;
  createdAt?: string;
  [key: string]: unknown;
}

/** Cursor information of a page. */
export interface PageMeta {
  hasMore: boolean;
  afterCursor?: string;
  beforeCursor?: string;
  [key: string]: unknown;
}

/** Links to the neighbouring pages. */
export interface PageLinks {
  next?: string;
  prev?: string;
  [key: string]: unknown;
}

/** One page of `list()`, exactly as the API sent it. */
export interface ConversationPage {
  conversations: Conversation[];
  meta: PageMeta;
  links: PageLinks;
  [key: string]: unknown;
}

/** A user, named by exactly one of `userId` and `userExternalId`. */
export type UserRef =
  | { userId: string; userExternalId?: undefined }
  | { userExternalId: string; userId?: undefined };

/** A participant of a new conversation. */
export type Participant = UserRef & {
  /** Subscribe the user's SDK client to the conversation right away. */
  subscribeSDKClient?: boolean;
};

/** The body of `create()`. */
export interface CreateConversationBody {
  type: ConversationType;
  /** Exactly one for `personal`, at most 10 for `sdkGroup`. */
  participants?: Participant[];
  /** 1 to 100 characters. */
  displayName?: string;
  /** 1 to 100 characters. */
  description?: string;
  /** An absolute URI, at most 2048 characters. */
  iconUrl?: string;
  metadata?: Metadata;
  extra?: ExtraFields;
}

/**
 * The body of `update()`: a property left out (or `undefined`) is not sent and keeps its value;
 * `null` clears the field; a value sets it. Metadata is replaced as a whole.
 */
export interface UpdateConversationBody {
  displayName?: string | null;
  description?: string | null;
  iconUrl?: string | null;
  metadata?: Metadata | null;
  extra?: ExtraFields;
}

/** Parameters of `list()`, `pages()` and `iterate()`: whose conversations, and which page. */
export type ListParams = UserRef & {
  /** Records after this cursor (24 characters); `pages()` / `iterate()` then walk forward. */
  after?: string;
  /**
   * Records before this cursor (24 characters). `pages()` / `iterate()` then walk backward: the
   * page just before the cursor first, then the one before it, ...; each page in the server's
   * order (oldest first).
   */
  before?: string;
  /** Page size, 1 to 100 (the server's default is 25). */
  size?: number;
};

/** The body of `downloadMessageRef()`. */
export interface DownloadMessageRefBody {
  userId: string;
  apple?: {
    interactiveDataRef: { url: string; bid: string; key: string; signature: string; owner: string };
  };
  extra?: ExtraFields;
}

// --------------------------------------------------------------------------------- every operation

/**
 * The path parameters of every operation of the API, by operationId (`never`: none). Kept by
 * hand; `node/test/operations.test.js` checks it against the core's descriptors (`operations()`).
 */
export interface OperationPathParams {
  ListApps: never;
  CreateApp: never;
  GetApp: 'appId';
  UpdateApp: 'appId';
  DeleteApp: 'appId';
  ListAppKeys: 'appId';
  CreateAppKey: 'appId';
  GetAppKey: 'appId' | 'keyId';
  DeleteAppKey: 'appId' | 'keyId';
  UploadAttachment: 'appId';
  DeleteAttachment: 'appId';
  ListConversations: 'appId';
  CreateConversation: 'appId';
  GetConversation: 'appId' | 'conversationId';
  UpdateConversation: 'appId' | 'conversationId';
  DeleteConversation: 'appId' | 'conversationId';
  JoinConversation: 'appId' | 'conversationId';
  ListParticipants: 'appId' | 'conversationId';
  LeaveConversation: 'appId' | 'conversationId';
  ListMessages: 'appId' | 'conversationId';
  PostMessage: 'appId' | 'conversationId';
  DeleteAllMessages: 'appId' | 'conversationId';
  DeleteMessage: 'appId' | 'conversationId' | 'messageId';
  PostActivity: 'appId' | 'conversationId';
  PassControl: 'appId' | 'conversationId';
  ReleaseControl: 'appId' | 'conversationId';
  OfferControl: 'appId' | 'conversationId';
  AcceptControl: 'appId' | 'conversationId';
  DownloadMessageRef: 'appId' | 'conversationId';
  PostConversionEvents: 'appId' | 'conversationId';
  ListIntegrations: 'appId';
  CreateIntegration: 'appId';
  GetIntegration: 'appId' | 'integrationId';
  UpdateIntegration: 'appId' | 'integrationId';
  DeleteIntegration: 'appId' | 'integrationId';
  ListCustomIntegrationKeys: 'appId' | 'integrationId';
  CreateCustomIntegrationKey: 'appId' | 'integrationId';
  GetCustomIntegrationKey: 'appId' | 'integrationId' | 'keyId';
  DeleteCustomIntegrationKey: 'appId' | 'integrationId' | 'keyId';
  ListWebhooks: 'appId' | 'integrationId';
  CreateWebhook: 'appId' | 'integrationId';
  GetWebhook: 'appId' | 'integrationId' | 'webhookId';
  UpdateWebhook: 'appId' | 'integrationId' | 'webhookId';
  DeleteWebhook: 'appId' | 'integrationId' | 'webhookId';
  ListSwitchboards: 'appId';
  CreateSwitchboard: 'appId';
  UpdateSwitchboard: 'appId' | 'switchboardId';
  DeleteSwitchboard: 'appId' | 'switchboardId';
  ListSwitchboardIntegrations: 'appId' | 'switchboardId';
  CreateSwitchboardIntegration: 'appId' | 'switchboardId';
  UpdateSwitchboardIntegration: 'appId' | 'switchboardId' | 'switchboardIntegrationId';
  DeleteSwitchboardIntegration: 'appId' | 'switchboardId' | 'switchboardIntegrationId';
  ListUsers: 'appId';
  CreateUser: 'appId';
  GetUser: 'appId' | 'userIdOrExternalId';
  UpdateUser: 'appId' | 'userIdOrExternalId';
  DeleteUser: 'appId' | 'userIdOrExternalId';
  ListClients: 'appId' | 'userIdOrExternalId';
  CreateClient: 'appId' | 'userIdOrExternalId';
  RemoveClient: 'appId' | 'userIdOrExternalId' | 'clientId';
  ListDevices: 'appId' | 'userIdOrExternalId';
  GetDevice: 'appId' | 'userIdOrExternalId' | 'deviceId';
  DeleteUserPersonalInformation: 'appId' | 'userIdOrExternalId';
  SyncUser: 'appId' | 'zendeskId';
  GetTokenInfo: never;
  Authorize: never;
  GetToken: never;
  RevokeAccess: never;
}

/** The operationId of every operation of the API (68, as in `operations()`). */
export type OperationId = keyof OperationPathParams;

/** The operations `call()` can send: all but `Authorize`, a browser redirect (see `authorizeUrl`). */
export type CallableOperationId = Exclude<OperationId, 'Authorize'>;

/**
 * The cursor-paginated list operations, each with the array field of its pages (the records
 * `iterate()` yields). Checked against `operations()` like {@link OperationPathParams}.
 */
export interface PagedOperations {
  ListApps: 'apps';
  ListConversations: 'conversations';
  ListParticipants: 'participants';
  ListMessages: 'messages';
  ListIntegrations: 'integrations';
  ListClients: 'clients';
}

/** The operations `pages()` and `iterate()` walk. */
export type PagedOperationId = keyof PagedOperations;

/** A JSON object as the server sent it (key order, `null`s and unknown fields kept). */
export type JsonObject = Record<string, unknown>;

/**
 * The arguments of an operation, in wire spelling: its path parameters (strings, each sent as
 * one percent-encoded segment), its query parameters (a string for plain ones such as
 * `brandId`, an object for `deepObject` ones: `page: { after, before, size }`, `filter: {...}`)
 * and its JSON body. The core checks them against the operation before sending anything.
 */
export type OperationArgs<Id extends OperationId = OperationId> = Id extends OperationId
  ? ([OperationPathParams[Id]] extends [never]
      ? { path?: Record<string, never> }
      : { path: { [K in OperationPathParams[Id]]: string } }) & {
      query?: Record<string, unknown>;
      body?: JsonObject;
    }
  : never;

/** `args` is required when the operation has path parameters, optional otherwise. */
export type OperationCallRest<Id extends OperationId> = [OperationPathParams[Id]] extends [never]
  ? [args?: OperationArgs<Id>, options?: CallOptions]
  : [args: OperationArgs<Id>, options?: CallOptions];

/** One key of a `deepObject` query parameter. */
export interface OperationQueryKey {
  readonly name: string;
  readonly type: 'string' | 'integer';
}

/** A query parameter of an operation. */
export interface OperationQueryParam {
  /** Its name on the wire (`page`, `filter`, `brandId`). */
  readonly name: string;
  /** `form`: `name=value`; `deepObject`: `name[key]=value` for each key given. */
  readonly style: 'form' | 'deepObject';
  /** The keys of a `deepObject` parameter (empty for `form`). */
  readonly keys: readonly OperationQueryKey[];
  readonly required: boolean;
}

/** One operation of the API, as the core describes it (generated from the spec). */
export interface OperationDescriptor {
  /** The spec's operationId (`PostMessage`). */
  readonly id: OperationId;
  /** The spec's tag (`Messages`). */
  readonly group: string;
  /** The HTTP method, upper case. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path template (`/v2/apps/{appId}/conversations/{conversationId}/messages`). */
  readonly path: string;
  /** The path parameters, in template order. */
  readonly pathParams: readonly string[];
  readonly query: readonly OperationQueryParam[];
  /** The request body, or null when the operation takes none. */
  readonly body: {
    readonly contentType: 'application/json' | 'multipart/form-data';
    /** The spec's schema name (`messagePost`). */
    readonly schema: string;
    readonly required: boolean;
  } | null;
  /** The documented success status. */
  readonly success: number;
  /** For a cursor-paginated list, the array field of its pages (`messages`); otherwise null. */
  readonly items: string | null;
  /** The way a walk without a cursor goes (`backward` for ListMessages, whose first page is the latest). */
  readonly direction: 'forward' | 'backward';
  /** The credential scopes the spec accepts (`app`, `account`, `integration`). */
  readonly scopes: readonly string[];
  /** A browser redirect (`Authorize`): build its URL with `client.authorizeUrl()`. */
  readonly redirect: boolean;
  /** Whether the request carries the client's credentials (all but `GetToken`). */
  readonly sendsAuth: boolean;
}

/** Every operation of the API, in the spec's order (the same frozen array on every call). */
export declare function operations(): readonly OperationDescriptor[];

// ------------------------------------------------------------------------------------------- client

/** A Sunshine Conversations client: one connection pool shared by every handle made from it. */
export declare class Client {
  /** @throws {ConfigError} when the options are unusable; {TypeError} for wrong option types. */
  constructor(options?: ClientOptions);
  /**
   * A client configured from SUNCO_BASE_URL (or SUNCO_REGION / SUNCO_SUBDOMAIN), SUNCO_KEY_ID,
   * SUNCO_KEY_SECRET, SUNCO_AUTH (`basic` | `jwt`) and SUNCO_TOKEN; `options` win over them.
   */
  static fromEnv(options?: ClientOptions): Client;
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /** Whether `close()` was called. */
  readonly closed: boolean;
  /**
   * The Conversations API of one app. An app id with a lone surrogate is refused by each call
   * (`ValidationError`, field `appId`), like an empty one.
   */
  conversations(appId: string): Conversations;
  /**
   * The API of one app: `client.app(appId).messages(conversationId).post(body)`,
   * `.users().get(id)`, ... (every group under `/v2/apps/{appId}`).
   */
  app(appId: string): App;
  /** The Apps API (account credentials): `client.apps().list()`. */
  apps(): Apps;
  /** The OAuth endpoints: `client.oauth().getToken(body)`, `tokenInfo()`, `revokeAccess()`. */
  oauth(): OAuth;
  /**
   * Calls any operation by its operationId, with its arguments in wire spelling; resolves to
   * the response body exactly as the server sent it (`{}` when empty). Nothing is sent when an
   * argument is missing, unknown or breaks a rule ({@link ValidationError} naming it).
   *
   * ```ts
   * await client.call('PostMessage', {
   *   path: { appId, conversationId },
   *   body: { author: { type: 'business' }, content: { type: 'text', text: 'Hi!' } },
   * });
   * ```
   */
  call<Id extends CallableOperationId>(operationId: Id, ...rest: OperationCallRest<Id>): Promise<JsonObject>;
  /**
   * Every page of a list operation, as sent, fetched one at a time as the loop asks for it.
   * From `query.page.after` the walk goes forward, from `query.page.before` backward (the page
   * just before the cursor first); without a cursor it goes the operation's own way (backward
   * for ListMessages, whose first page is the latest).
   */
  pages<Id extends PagedOperationId>(
    operationId: Id,
    ...rest: OperationCallRest<Id>
  ): AsyncGenerator<JsonObject, void, undefined>;
  /**
   * Every record of every page of a list operation (the page's `PagedOperations[Id]` array),
   * fetched lazily; `break` stops fetching. Within a page, records keep the server's order.
   */
  iterate<Id extends PagedOperationId>(
    operationId: Id,
    ...rest: OperationCallRest<Id>
  ): AsyncGenerator<JsonObject, void, undefined>;
  /**
   * The URL of the OAuth `Authorize` browser redirect (nothing is sent): its query parameters
   * `client_id` and `response_type` (required), `state` and `redirect_uri`, checked by the core.
   */
  authorizeUrl(query: {
    client_id: string;
    response_type: string;
    state?: string;
    redirect_uri?: string;
  }): string;
  /**
   * Closes the client: calls in flight reject with {@link ClosedError} (their requests are
   * dropped), so does every later call of its handles and iterators, and the connection pool is
   * released. Calling it again does nothing.
   */
  close(): void;
}

/**
 * The Conversations API of one app. Every method returns a Promise and never blocks, and takes
 * {@link CallOptions} (`{ signal }`) last.
 */
export declare class Conversations {
  private constructor();
  readonly appId: string;
  create(body: CreateConversationBody, options?: CallOptions): Promise<Conversation>;
  get(conversationId: string, options?: CallOptions): Promise<Conversation>;
  /** One page. */
  list(params: ListParams, options?: CallOptions): Promise<ConversationPage>;
  update(conversationId: string, body: UpdateConversationBody, options?: CallOptions): Promise<Conversation>;
  delete(conversationId: string, options?: CallOptions): Promise<void>;
  downloadMessageRef(
    conversationId: string,
    body: DownloadMessageRefBody,
    options?: CallOptions,
  ): Promise<Record<string, unknown>>;
  /**
   * Every page, fetched one at a time as the loop asks for it. Without a cursor or from `after`
   * the pages walk forward; from `before` they walk backward (the page just before the cursor
   * first). Each page is as the server sent it.
   */
  pages(params: ListParams, options?: CallOptions): AsyncGenerator<ConversationPage, void, undefined>;
  /**
   * Every conversation of every page, fetched lazily; `break` stops fetching. Pages come in the
   * order `pages()` walks them; within a page, conversations keep the server's order (oldest
   * first). From `before: ids[50]` with `size: 10`: ids[40..49], then ids[30..39], ..., ids[0..9].
   */
  iterate(params: ListParams, options?: CallOptions): AsyncGenerator<Conversation, void, undefined>;
}

// ------------------------------------------------------------------------------------------- errors

/** Base class of every error this package raises (wrong argument types raise `TypeError`). */
export declare class SuncoError extends Error {
  constructor(message?: string, details?: { retryable?: boolean });
  /** Whether the same call may succeed later: 429, 502/503/504, or a connection never opened. */
  readonly retryable: boolean;
}

/** The input broke a rule of the API; nothing was sent. */
export declare class ValidationError extends SuncoError {
  constructor(message?: string, details?: { field?: string; rule?: string; retryable?: boolean });
  /** The offending field in wire spelling, e.g. `participants[0]`, `metadata.plan`, `page.size`. */
  readonly field: string;
  /** The rule it broke, in plain words. */
  readonly rule: string;
}

/** The client options (or SUNCO_* variables) are unusable. */
export declare class ConfigError extends SuncoError {}

/** One `{code, title}` entry of an API error response. */
export interface ApiErrorDetail {
  code: string;
  title: string;
}

export interface ApiErrorDetails {
  status?: number;
  errors?: ApiErrorDetail[];
  requestId?: string | null;
  retryAfter?: number | null;
  retryable?: boolean;
}

/** The server answered with a non-success HTTP status. */
export declare class ApiError extends SuncoError {
  constructor(message?: string, details?: ApiErrorDetails);
  /** The HTTP status. */
  readonly status: number;
  /** The first error code, e.g. `conversation_not_found`. */
  readonly code: string | undefined;
  /** The first error title. */
  readonly title: string | undefined;
  /** Every `{code, title}` the server sent. */
  readonly errors: ApiErrorDetail[];
  /** The `x-request-id` header: quote it to support. */
  readonly requestId: string | undefined;
  /** The `Retry-After` header, in seconds. */
  readonly retryAfter: number | undefined;
}

/** HTTP 400. */
export declare class BadRequestError extends ApiError {}
/** HTTP 401 (bad credentials) or 403 (credentials not allowed for this app). */
export declare class AuthenticationError extends ApiError {}
/** HTTP 404. */
export declare class NotFoundError extends ApiError {}
/** HTTP 429; see `retryAfter`. */
export declare class RateLimitError extends ApiError {}
/** HTTP 5xx. */
export declare class ServerError extends ApiError {}

/** No complete answer arrived within `timeoutMs`. */
export declare class TimeoutError extends SuncoError {
  constructor(message?: string, details?: { timeoutMs?: number; retryable?: boolean });
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;
}

/** The connection failed. */
export declare class TransportError extends SuncoError {
  constructor(message?: string, details?: { kind?: 'connect' | 'request' | 'body'; retryable?: boolean });
  /** `connect`: nothing was sent; `request`: the connection broke after sending; `body`: the answer was cut. */
  readonly kind: 'connect' | 'request' | 'body';
}

/**
 * The call was cancelled by its `AbortSignal`; its request was dropped. `name` is 'AbortError'
 * and `code` 'ABORT_ERR', as for Node's own cancelled operations.
 */
export declare class AbortError extends SuncoError {
  constructor(message?: string, details?: { cause?: unknown; retryable?: boolean });
  readonly code: 'ABORT_ERR';
  /** The signal's `reason`. */
  readonly cause?: unknown;
}

/** The client was closed with `client.close()`: make a new one. */
export declare class ClosedError extends SuncoError {}

/** The server answered, but not with the JSON the API promises. */
export declare class DecodeError extends SuncoError {
  constructor(message?: string, details?: { status?: number; excerpt?: string; retryable?: boolean });
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The first bytes of the body (at most 200). */
  readonly excerpt: string;
}

// ----------------------------------------------------------------------- the whole API, generated

export * from './api/types';
export {
  App, Apps, AppKeys, Attachments, AppConversations, Participants, Messages, Activities,
  SwitchboardActions, Integrations, IntegrationKeys, Webhooks, Switchboards,
  SwitchboardIntegrations, Users, Clients, Devices, OAuth,
} from './api/handles';
import type { App, Apps, OAuth } from './api/handles';
import type * as api from './api/types';

/** The file of an upload: a path (streamed from disk), bytes, or a readable stream / async iterable of chunks. */
export type UploadSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;

/** Options of `attachments().upload()`: the call's signal, and the file's name and MIME type. */
export interface UploadOptions extends CallOptions {
  /** The file name sent (else the path's file name, a stream's `path`, or `file`). */
  fileName?: string;
  /** The MIME type sent (else guessed from the file name). */
  contentType?: string;
}

// ------------------------------------------------------------------------------- content builders

/** Message content without writing JSON by hand: each builder returns the plain wire object. */
export declare namespace content {
  /** `type: text`, with optional actions (quick replies, buttons). */
  function text(text: string, actions?: api.Action[]): api.TextMessage;
  /** `type: image` from a URL (such as an uploaded attachment's `mediaUrl`), with optional actions. */
  function image(mediaUrl: string, actions?: api.Action[]): api.ImageMessage;
  /** `type: file` from a URL. */
  function file(mediaUrl: string): api.FileMessage;
  /** `type: carousel` of these items (the API takes 1 to 10). */
  function carousel(items: api.Item[]): api.CarouselMessage;
  /** One carousel item: a title, its actions, and optionally a description and an image. */
  function item(title: string, actions?: api.ActionSubset[], extra?: { description?: string; mediaUrl?: string }): api.Item;
  /** A quick reply: sends `text` back as the user's message, with `payload`. */
  function reply(text: string, payload: string): api.Reply;
  /** A button that sends a `conversation:postback` webhook with `payload`. */
  function postback(text: string, payload: string): api.Postback;
  /** A button that opens `uri`. */
  function link(text: string, uri: string): api.Link;
  /** A message from the business: the body of `messages(id).post()`. */
  function business(content: api.Content): api.MessagePost;
  /** A message on behalf of the user with this id. */
  function fromUser(userId: string, content: api.Content): api.MessagePost;
}

// -------------------------------------------------------------------------------------- webhooks

/** Headers as `req.headers` gives them, a fetch `Headers`, or `[name, value]` pairs. */
export type WebhookHeaders =
  | Record<string, string | string[] | undefined>
  | { entries(): IterableIterator<[string, string]>; get(name: string): string | null }
  | ReadonlyArray<readonly [string, string]>;

/** Receiving webhooks with any server (the core checks the secret in constant time). */
export declare namespace webhooks {
  /**
   * Checks a webhook request's `X-API-Key` against `secret` and parses its body into events
   * (unknown event types kept as sent). Throws WebhookAuthError (401), WebhookTooLargeError
   * (413) or WebhookMalformedError (400); `error.status` is the status to answer with.
   */
  function parse(body: Uint8Array | string, headers: WebhookHeaders, secret: string): api.WebhookPayload;
  /** Reads a request body into one Buffer, stopping one byte past `MAX_BODY_BYTES`. */
  function readBody(stream: AsyncIterable<Uint8Array | string>): Promise<Uint8Array>;
  /** The header that carries the webhook's secret: `X-API-Key`. */
  const SECRET_HEADER: 'X-API-Key';
  /** The largest body `parse` accepts, in bytes (1 MiB). */
  const MAX_BODY_BYTES: number;
  /** Every event type read into its own variant of `WebhookEvent`. */
  const EVENT_TYPES: readonly api.WebhookEventType[];
}

/** Why a webhook request was refused. */
export type WebhookRefusal = 'missingSecret' | 'wrongSecret' | 'tooLarge' | 'malformed';

/** A webhook request was refused by `webhooks.parse`; `status` is the HTTP status to answer with. */
export declare class WebhookError extends SuncoError {
  constructor(message?: string, details?: { status?: number; reason?: WebhookRefusal; retryable?: boolean });
  /** 401, 413 or 400. */
  readonly status: number;
  /** Why it was refused. */
  readonly reason: WebhookRefusal;
}
/** HTTP 401: no `X-API-Key` header, or not the webhook's secret. */
export declare class WebhookAuthError extends WebhookError {}
/** HTTP 413: the body is over the limit; it was not parsed. */
export declare class WebhookTooLargeError extends WebhookError {
  /** The body's length in bytes (at least; a body read by `readBody` stops one byte past the limit). */
  readonly size: number;
  /** The limit, in bytes. */
  readonly limit: number;
}
/** HTTP 400: the body is not a webhook payload. */
export declare class WebhookMalformedError extends WebhookError {
  /** Where, in wire spelling (`events[0].payload.conversation`); empty for the body as a whole. */
  readonly path: string;
}
