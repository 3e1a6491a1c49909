// An Express-style middleware `(req, res, next)` that checks and parses Sunshine Conversations
// webhooks with `sunco` (no Express needed: it is plain `http` underneath, and works as is with
// Express, Connect or Polka). It sets `req.webhook` to the parsed payload, or answers the status
// the error carries (401 wrong or missing secret, 413 too large, 400 malformed).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { webhooks, WebhookError, type WebhookPayload } from 'sunco';

export type WebhookRequest = IncomingMessage & { webhook?: WebhookPayload };

export function sunshineWebhooks(secret: string) {
  return (req: WebhookRequest, res: ServerResponse, next: (err?: unknown) => void): void => {
    webhooks
      .readBody(req)
      .then((body) => {
        req.webhook = webhooks.parse(body, req.headers, secret);
        next();
      })
      .catch((err: unknown) => {
        if (err instanceof WebhookError) res.writeHead(err.status).end();
        else next(err);
      });
  };
}
