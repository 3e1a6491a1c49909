// Compile-time checks of the package's types: `tsc -p test/tsconfig.json` (strict, no emit).
// Lines marked @ts-expect-error must NOT compile; if one starts compiling, tsc fails.
import {
  Client,
  Conversations,
  Conversation,
  ConversationPage,
  CreateConversationBody,
  UpdateConversationBody,
  ListParams,
  SuncoError,
  ApiError,
  NotFoundError,
  RateLimitError,
  ValidationError,
  TransportError,
  ConfigError,
  AbortError,
  ClosedError,
  AbortSignalLike,
  CallOptions,
  VERSION,
  operations,
  OperationDescriptor,
  OperationId,
  OperationArgs,
  PagedOperationId,
  JsonObject,
} from 'sunco';

const version: string = VERSION;

const client = new Client({
  baseUrl: 'http://127.0.0.1:8080',
  keyId: 'demo-key',
  keySecret: 'demo-secret',
  auth: 'jwt',
  timeoutMs: 5_000,
  connectTimeoutMs: 1_000,
  maxRetries: 2,
});
new Client({ region: 'eu', token: 't', proxy: 'http://user:pass@127.0.0.1:3128' });
new Client({ subdomain: 'acme', keyId: 'k', keySecret: 's' });
const fromEnv: Client = Client.fromEnv({ maxRetries: 0 });
const base: string = fromEnv.baseUrl;

// @ts-expect-error: unknown region
new Client({ region: 'mars' });
// @ts-expect-error: two targets at once
new Client({ region: 'eu', subdomain: 'acme' });
// @ts-expect-error: auth is 'basic' | 'jwt'
new Client({ keyId: 'k', keySecret: 's', auth: 'oauth' });
// @ts-expect-error: timeouts are numbers
new Client({ timeoutMs: '5s' });
// @ts-expect-error: the proxy is a URL string
new Client({ region: 'eu', token: 't', proxy: 3128 });
// @ts-expect-error: handles come from client.conversations()
new Conversations();
const closed: boolean = client.closed;
const closing: void = client.close();

declare const signal: AbortSignalLike;
const withSignal: CallOptions = { signal };

const convs: Conversations = client.conversations('demo-app');

async function main(): Promise<void> {
  const body: CreateConversationBody = {
    type: 'sdkGroup',
    participants: [{ userExternalId: 'alice', subscribeSDKClient: true }, { userId: 'abc' }],
    displayName: 'Support',
    metadata: { tier: 'gold', n: 1, vip: true },
  };
  const conv: Conversation = await convs.create(body);
  const id: string = conv.id;
  const maybeName: string | undefined = conv.displayName;
  const extra: unknown = conv['somethingNew'];
  if (conv.type === 'personal') {
    const isDefault: boolean | undefined = conv.isDefault;
  }
  await convs.create({ type: 'brandNewType' });
  await convs.create({ type: 'sdkGroup', extra: { futureField: { a: [1] } } }, { signal });
  await convs.update('x', { displayName: null, extra: { other: null } }, withSignal);
  await convs.downloadMessageRef('x', { userId: 'u', extra: { format: 'v2' } }, {});
  const lastRead: string | null | undefined = conv.businessLastRead;
  // @ts-expect-error: extra is an object of fields
  await convs.create({ type: 'sdkGroup', extra: 'x' });
  // @ts-expect-error: options hold a signal, nothing else
  await convs.get('x', { timeoutMs: 5 });
  // @ts-expect-error: type is required
  await convs.create({ participants: [] });
  // @ts-expect-error: metadata is flat
  await convs.create({ type: 'sdkGroup', metadata: { a: { b: 1 } } });
  // @ts-expect-error: a participant names the user by exactly one id
  await convs.create({ type: 'personal', participants: [{ userId: 'a', userExternalId: 'b' }] });

  const got: Conversation = await convs.get(id);
  // @ts-expect-error: ids are strings
  await convs.get(123);

  const params: ListParams = { userExternalId: 'alice', size: 50 };
  const page: ConversationPage = await convs.list(params);
  const more: boolean = page.meta.hasMore;
  const next: string | undefined = page.meta.afterCursor ?? page.links.next;
  const first: Conversation | undefined = page.conversations[0];
  await convs.list({ userId: 'u', after: 'x'.repeat(24) });
  // @ts-expect-error: size is a number
  await convs.list({ userExternalId: 'alice', size: 'x' });
  // @ts-expect-error: one filter, not both
  await convs.list({ userId: 'u', userExternalId: 'alice' });

  const patch: UpdateConversationBody = { displayName: 'New', description: null, iconUrl: undefined };
  const updated: Conversation = await convs.update(id, patch);
  await convs.update(id, { metadata: null });
  // @ts-expect-error: displayName is a string or null
  await convs.update(id, { displayName: 5 });

  const nothing: void = await convs.delete(id);
  const data: Record<string, unknown> = await convs.downloadMessageRef(id, { userId: 'u' });

  await convs.list({ userId: 'u', before: 'x'.repeat(24) }, { signal });
  await convs.delete('x', { signal: undefined });
  for await (const c of convs.iterate({ userExternalId: 'alice', size: 50 }, { signal })) {
    const cid: string = c.id;
    if (cid === 'stop') break;
  }
  for await (const p of convs.pages({ userExternalId: 'alice' })) {
    const n: number = p.conversations.length;
  }

  try {
    await convs.get('x');
  } catch (err) {
    if (err instanceof NotFoundError) {
      const status: number = err.status;
      const code: string | undefined = err.code;
      const requestId: string | undefined = err.requestId;
    } else if (err instanceof RateLimitError) {
      const wait: number | undefined = err.retryAfter;
    } else if (err instanceof ApiError) {
      const title: string | undefined = err.title;
      const all: { code: string; title: string }[] = err.errors;
    } else if (err instanceof ValidationError) {
      const field: string = err.field;
      const rule: string = err.rule;
    } else if (err instanceof TransportError) {
      const kind: 'connect' | 'request' | 'body' = err.kind;
    } else if (err instanceof SuncoError) {
      const retryable: boolean = err.retryable;
      const message: string = err.message;
    } else if (err instanceof ConfigError) {
      const e: Error = err;
    } else if (err instanceof AbortError) {
      const code: 'ABORT_ERR' = err.code;
      const reason: unknown = err.cause;
    } else if (err instanceof ClosedError) {
      const e: SuncoError = err;
    }
  }
}

async function everyOperation(conversationId: string): Promise<void> {
  const sent: JsonObject = await client.call('PostMessage', {
    path: { appId: 'demo-app', conversationId },
    body: { author: { type: 'business' }, content: { type: 'text', text: 'Hi!' } },
  });
  const apps: JsonObject = await client.call('ListApps');
  await client.call('GetTokenInfo', undefined, { signal });
  await client.call('ListUsers', {
    path: { appId: 'demo-app' },
    query: { filter: { 'identities.email': 'ana@example.com' }, brandId: '1' },
  });
  await client.call('DeleteConversation', { path: { appId: 'demo-app', conversationId } }, { signal });
  // @ts-expect-error: not an operation of the API
  await client.call('PostTelegram', {});
  // @ts-expect-error: Authorize is a redirect: use authorizeUrl
  await client.call('Authorize', { query: {} });
  // @ts-expect-error: PostMessage needs its path parameters
  await client.call('PostMessage');
  // @ts-expect-error: conversationId is missing
  await client.call('PostMessage', { path: { appId: 'demo-app' }, body: {} });
  // @ts-expect-error: a path parameter GetApp does not have
  await client.call('GetApp', { path: { appId: 'a', userId: 'u' } });
  // @ts-expect-error: path parameters are strings
  await client.call('GetApp', { path: { appId: 5 } });
  // @ts-expect-error: the body is an object
  await client.call('CreateApp', { body: 'x' });
  // @ts-expect-error: options hold a signal, nothing else
  await client.call('ListApps', {}, { timeoutMs: 1 });

  for await (const message of client.iterate('ListMessages', { path: { appId: 'demo-app', conversationId } })) {
    const id: unknown = message.id;
  }
  for await (const page of client.pages('ListConversations', {
    path: { appId: 'demo-app' },
    query: { filter: { userExternalId: 'alice' }, page: { before: 'x'.repeat(24), size: 10 } },
  }, { signal })) {
    const records: unknown = page.conversations;
  }
  for await (const app of client.iterate('ListApps')) {
    const a: JsonObject = app;
  }
  // @ts-expect-error: GetApp is not a paginated list
  client.iterate('GetApp', { path: { appId: 'a' } });
  // @ts-expect-error: pages need the list's path parameters
  client.pages('ListMessages', { path: { appId: 'a' } });

  const url: string = client.authorizeUrl({ client_id: 'c', response_type: 'code', state: 's' });
  // @ts-expect-error: client_id and response_type are required
  client.authorizeUrl({ state: 's' });

  const all: readonly OperationDescriptor[] = operations();
  const first: OperationDescriptor | undefined = all[0];
  if (first) {
    const id: OperationId = first.id;
    const items: string | null = first.items;
    const direction: 'forward' | 'backward' = first.direction;
    const keys: readonly string[] = first.query.flatMap((q) => q.keys.map((k) => k.name));
    // @ts-expect-error: descriptors are read-only
    first.path = '/x';
  }
  const paged: PagedOperationId = 'ListMessages';
  // @ts-expect-error: not a paginated list
  const notPaged: PagedOperationId = 'PostMessage';
  const args: OperationArgs<'GetUser'> = { path: { appId: 'a', userIdOrExternalId: 'alice' }, query: { brandId: '1' } };
  const loose: OperationArgs = { path: { appId: 'a' } };
}

export { main, everyOperation, version, base };
