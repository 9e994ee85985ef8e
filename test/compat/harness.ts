/**
 * Starts an ephemeral Bursar on a free port with fixed bootstrap credentials, for the compatibility
 * suites (SDKs and the AWS CLI) to talk to as real clients do.
 */
import assert from 'node:assert/strict';
import { createServer, type BursarServer } from '../../src/server/create-server.js';

export const ACCOUNT_ID = '111122223333';
export const ROOT_EMAIL = 'root@compat.example';
export const ROOT_PASSWORD = 'Compat-Root-Passw0rd!';
export const ROOT_KEY = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

export async function startServer(): Promise<BursarServer> {
  return createServer({
    ephemeral: true,
    port: 0,
    passwordHashCost: 1024,
    bootstrap: {
      accountId: ACCOUNT_ID,
      rootEmail: ROOT_EMAIL,
      rootPassword: ROOT_PASSWORD,
      accessKeyId: ROOT_KEY.accessKeyId,
      secretAccessKey: ROOT_KEY.secretAccessKey,
    },
  });
}

/** SDK client settings for the server: its endpoint, a region, the given credentials, no retries. */
export function clientConfig(
  server: BursarServer,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = ROOT_KEY,
) {
  return { endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 };
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
