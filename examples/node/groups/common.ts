// What every group example shares: a client for the emulator (or the API the SUNCO_* variables
// name), the app id, and a runner that closes the client and sets the exit code.
import { Client } from 'sunco';

const env = (name: string, fallback: string): string => process.env[name] || fallback;

/** The app the examples work in. */
export const appId = env('SUNCO_APP_ID', 'demo-app');

/** A client with the app's key (a local emulator on port 8091 unless SUNCO_BASE_URL says otherwise). */
export function appClient(): Client {
  return new Client({
    baseUrl: env('SUNCO_BASE_URL', 'http://127.0.0.1:8091'),
    keyId: env('SUNCO_KEY_ID', 'demo-key'),
    keySecret: env('SUNCO_KEY_SECRET', 'demo-secret'),
  });
}

/** A client with an account key (the emulator's seeded one by default), for apps and app keys. */
export function accountClient(): Client {
  return new Client({
    baseUrl: env('SUNCO_BASE_URL', 'http://127.0.0.1:8091'),
    keyId: env('SUNCO_ACCOUNT_KEY_ID', 'demo-account-key'),
    keySecret: env('SUNCO_ACCOUNT_KEY_SECRET', 'demo-account-secret'),
  });
}

/** Runs an example with a client, closes it, and exits 1 on an error. */
export function run(name: string, main: (client: Client) => Promise<void>, client = appClient()): void {
  main(client)
    .then(() => console.log(`${name}: ok`))
    .catch((err: unknown) => {
      console.error(`${name}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
      process.exitCode = 1;
    })
    .finally(() => client.close());
}

/** A fresh personal conversation of the seeded user alice. */
export async function conversationOfAlice(client: Client): Promise<string> {
  const made = await client.app(appId).conversations().create({ type: 'sdkGroup', participants: [{ userExternalId: 'alice' }] });
  return made.conversation?.id ?? '';
}
