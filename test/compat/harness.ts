/**
 * Starts a Bursar (ephemeral, unless the test gives it storage) on a free port with fixed bootstrap credentials, for the compatibility
 * suites (SDKs and the AWS CLI) to talk to as real clients do. The server runs on the test clock
 * (test/test-clock.ts) unless the test gives its own, and SDK clients sign by that server's clock.
 */
import assert from 'node:assert/strict';
import { systemClock, type Clock } from '../../src/platform/clock.js';
import { createServer, type BursarServer, type ServerOptions } from '../../src/server/create-server.js';
import type { IdSource } from '../../src/platform/ids.js';
import { testClock } from '../test-clock.js';

export const ACCOUNT_ID = '111122223333';
export const ROOT_EMAIL = 'root@compat.example';
export const ROOT_PASSWORD = 'Compat-Root-Passw0rd!';
export const ROOT_KEY = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/**
 * Where a server keeps its data when a test chooses (a database URL, a data directory, a cost blob store), and
 * how that store is removed once the server is closed. Without one, the server is ephemeral.
 */
export interface ServerStorage {
  options: Pick<ServerOptions, 'dataDir' | 'databaseUrl' | 'costs'>;
  close(): Promise<void>;
}

/** The clock each server started here runs on, for its clients to sign by. */
const clocks = new WeakMap<BursarServer, Clock>();

export async function startServer(
  options: {
    clock?: Clock;
    ids?: IdSource;
    server?: Pick<ServerOptions, 'allowHttpLoopbackIssuers' | 'testOidcIssuer' | 'exports' | 'masterKey'>;
    storage?: ServerStorage;
  } = {},
): Promise<BursarServer> {
  const clock = options.clock ?? testClock;
  const storage = options.storage;
  const started = await createServer({
    ...options.server,
    ...(storage === undefined ? { ephemeral: true } : storage.options),
    port: 0,
    passwordHashCost: 1024,
    clock,
    ...(options.ids === undefined ? {} : { ids: options.ids }),
    bootstrap: {
      accountId: ACCOUNT_ID,
      rootEmail: ROOT_EMAIL,
      rootPassword: ROOT_PASSWORD,
      accessKeyId: ROOT_KEY.accessKeyId,
      secretAccessKey: ROOT_KEY.secretAccessKey,
    },
  });
  const server =
    storage === undefined
      ? started
      : {
          ...started,
          close: async () => {
            await started.close();
            await storage.close();
          },
        };
  clocks.set(server, clock);
  return server;
}

/**
 * SDK client settings for the server: its endpoint, a region, the given credentials, no retries, and a
 * `systemClockOffset` that signs requests by the server's clock (SigV4 allows 15 minutes of skew), as an SDK
 * corrects its offset from a server's Date header.
 */
export function clientConfig(
  server: BursarServer,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = ROOT_KEY,
) {
  // A server started elsewhere (createServer without a clock) runs on the system clock.
  const clock = clocks.get(server) ?? systemClock;
  const systemClockOffset = clock.now().getTime() - Date.now();
  return { endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1, systemClockOffset };
}

/** Asserts that an SDK call fails with AWS's error `name`, HTTP `status` and, when given, a message matching `message`. */
export async function rejectsWith(promise: Promise<unknown>, name: string, status: number, message?: RegExp) {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name, error.message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}
