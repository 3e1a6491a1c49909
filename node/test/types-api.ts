// Compile-time checks of the generated surface (lib/api/*.d.ts) and of content, webhooks and
// uploads: `tsc -p test/tsconfig.json`. Lines marked @ts-expect-error must NOT compile.
import {
  Client,
  content,
  webhooks,
  WebhookError,
  WebhookTooLargeError,
  Content,
  WebhookEvent,
  Integration,
  Action,
  MessagePost,
  PostMessageResponse,
  ListMessagesResponse,
  App,
  Messages,
} from 'sunco';

declare const client: Client;

// Handles follow the core's tree; methods resolve to the response types.
const app: App = client.app('demo-app');
const messages: Messages = app.messages('conv');
export async function calls(): Promise<void> {
  const sent: PostMessageResponse = await messages.post({ author: { type: 'business' }, content: { type: 'text', text: 'hi' } });
  const page: ListMessagesResponse = await messages.list({ page: { before: 'x', size: 10 } });
  for await (const m of messages.iterate()) m.id?.toUpperCase();
  for await (const p of client.apps().pages({ filter: { serviceAccountId: 's' } })) p.apps?.length;
  await app.users().get('alice', { brandId: 'b' });
  await app.switchboardActions('conv').passControl({ switchboardIntegration: 'agent' });
  await app.webhooks('integration').create({ target: 'http://127.0.0.1:1/', triggers: ['conversation:message'] });
  await client.oauth().tokenInfo();
  await app.attachments().upload(new Uint8Array(3), { access: 'public' }, { fileName: 'a.bin' });
  // @ts-expect-error a path parameter is a string
  await app.users().get(42);
  // @ts-expect-error the body of PostMessage needs an author
  await messages.post({ content: { type: 'text', text: 'hi' } });
  // @ts-expect-error ListMessages has no filter
  await messages.list({ filter: {} });
  void sent;
  void page;
}

// Message content narrows by `type`; an unknown type lands in the default branch.
export function describe(c: Content): string {
  switch (c.type) {
    case 'text':
      return c.text ?? '';
    case 'image':
      return c.mediaUrl;
    case 'carousel':
      return String(c.items.length);
    default:
      return String(c.type);
  }
}

export function narrowed(c: Content): string | undefined {
  if (c.type === 'file') return c.mediaUrl;
  // @ts-expect-error only `text` content has `text`
  return c.text;
}

export function actionText(a: Action): string {
  return a.type === 'link' ? a.uri : a.type === 'reply' ? a.payload : '';
}

export function integrationName(i: Integration): string {
  if (i.type === 'custom') return String(i.webhooks.length);
  return i.displayName ?? '';
}

// Webhook events narrow by `type`.
export function onEvent(e: WebhookEvent): string {
  switch (e.type) {
    case 'conversation:message':
      return e.payload?.message?.author?.type ?? '';
    case 'switchboard:passControl':
      return e.payload?.conversation?.id ?? '';
    default:
      return String(e.type);
  }
}

// Builders give the generated types.
const post: MessagePost = content.business(content.text('Pick', [content.reply('Yes', 'y')]));
const carousel: Content = content.carousel([content.item('A', [content.postback('Go', 'a')])]);
export function receive(body: Uint8Array, headers: Record<string, string | string[] | undefined>): number {
  try {
    return webhooks.parse(body, headers, 'secret').events?.length ?? 0;
  } catch (err) {
    if (err instanceof WebhookTooLargeError) return err.limit;
    if (err instanceof WebhookError) return err.status;
    throw err;
  }
}
// @ts-expect-error a quick reply needs a payload
content.reply('Yes');
export const built = [post, carousel, webhooks.MAX_BODY_BYTES, webhooks.SECRET_HEADER] as const;
