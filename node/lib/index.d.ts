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
}

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

/** A conversation, as the API returns it (fields unknown to this version are kept). */
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
  businessLastRead?: string;
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

/** One page of `list()`. */
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
}

/** Parameters of `list()`, `pages()` and `iterate()`: whose conversations, and which page. */
export type ListParams = UserRef & {
  /** Records after this cursor (24 characters). */
  after?: string;
  /** Records before this cursor (24 characters). */
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
}

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
  /** The Conversations API of one app. */
  conversations(appId: string): Conversations;
}

/** The Conversations API of one app. Every method returns a Promise and never blocks. */
export declare class Conversations {
  private constructor();
  readonly appId: string;
  create(body: CreateConversationBody): Promise<Conversation>;
  get(conversationId: string): Promise<Conversation>;
  /** One page. */
  list(params: ListParams): Promise<ConversationPage>;
  update(conversationId: string, body: UpdateConversationBody): Promise<Conversation>;
  delete(conversationId: string): Promise<void>;
  downloadMessageRef(conversationId: string, body: DownloadMessageRefBody): Promise<Record<string, unknown>>;
  /** Every page, fetched one at a time as the loop asks for it. */
  pages(params: ListParams): AsyncGenerator<ConversationPage, void, undefined>;
  /** Every conversation of every page, fetched lazily; `break` stops fetching. */
  iterate(params: ListParams): AsyncGenerator<Conversation, void, undefined>;
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

/** The server answered, but not with the JSON the API promises. */
export declare class DecodeError extends SuncoError {
  constructor(message?: string, details?: { status?: number; excerpt?: string; retryable?: boolean });
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The first bytes of the body (at most 200). */
  readonly excerpt: string;
}
