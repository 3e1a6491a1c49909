// The same tour in TypeScript: every value below is typed by the package's .d.ts.
// `make demo-node` compiles it with tsc and runs it against a fresh emulator.
import { Client, Conversation, NotFoundError } from 'sunco';

const env = (name: string, fallback: string): string => process.env[name] || fallback;

async function main(): Promise<void> {
  const client = new Client({
    baseUrl: env('SUNCO_BASE_URL', 'http://127.0.0.1:8091'),
    keyId: env('SUNCO_KEY_ID', 'demo-key'),
    keySecret: env('SUNCO_KEY_SECRET', 'demo-secret'),
  });
  const convs = client.conversations(env('SUNCO_APP_ID', 'demo-app'));

  const conv: Conversation = await convs.create({
    type: 'sdkGroup',
    participants: [{ userExternalId: 'bob' }],
    displayName: 'TypeScript demo',
    metadata: { typed: true },
  });
  console.log(`created  ${conv.id} ${conv.displayName}`);

  const names: string[] = [];
  // Any AbortSignal cancels a call (or a whole walk): here, give up after 10 s.
  for await (const c of convs.iterate({ userExternalId: 'bob' }, { signal: AbortSignal.timeout(10_000) })) {
    names.push(c.displayName ?? '(no name)');
  }
  console.log(`bob has ${names.length} conversation(s): ${names.join(', ')}`);

  const cleared = await convs.update(conv.id, { metadata: null });
  console.log(`updated  metadata is now ${cleared.metadata === undefined ? 'gone' : 'still there'}`);

  await convs.delete(conv.id);
  try {
    await convs.get(conv.id);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    console.log(`get after delete: ${err.status} ${err.code} (request ${err.requestId})`);
  }
  client.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
