// The ESM entry point has the same types: `import { Client } from 'sunco'` from an .mts file.
import sunco, { Client, NotFoundError } from 'sunco';

const client: Client = new sunco.Client({ baseUrl: 'http://127.0.0.1:1', token: 't' });
const err: NotFoundError = new NotFoundError('missing', { status: 404 });
export const checks = [client.conversations('demo-app'), err.status] as const;
