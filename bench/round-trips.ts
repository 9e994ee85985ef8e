/**
 * `npm run bench:round-trips`: how many PostgreSQL round trips one IAM call costs, and how long it takes
 * when calls run one at a time. Starts a server in-process on a scratch schema of the test PostgreSQL
 * (`BURSAR_TEST_POSTGRES_URL`), counts every query the pg driver sends during 100 calls of each kind by an
 * IAM user, and prints the counts per call with the statements that make them up. With a shared store
 * nothing a decision needs is cached between requests, so each round trip is paid on every call.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import pg from 'pg';
import { createServer } from '../src/server/create-server.js';
import { TEST_POSTGRES_URL } from '../src/store/test-databases.js';

const CALLS = 100;
const ROOT = { accessKeyId: 'AKIAROUNDTRIPSBENCH2', secretAccessKey: 'round-trips-bench-secret' };

const statements = new Map<string, number>();
const originalQuery = pg.Client.prototype.query;
(pg.Client.prototype as unknown as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const text = typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
  const shown = text.replace(/\s+/g, ' ').slice(0, 100);
  statements.set(shown, (statements.get(shown) ?? 0) + 1);
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
};

async function main(): Promise<void> {
  const schema = `bench_round_trips_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const server = await createServer({ databaseUrl: url.toString(), passwordHashCost: 1024, bootstrap: ROOT });
  try {
    const root = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT });
    await root.send(new CreateUserCommand({ UserName: 'reader' }));
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'reader',
        PolicyName: 'iam',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }],
        }),
      }),
    );
    const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
    const reader = new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    const calls: [string, (i: number) => Promise<unknown>][] = [
      ['GetUser', () => reader.send(new GetUserCommand({ UserName: 'reader' }))],
      ['ListUsers', () => reader.send(new ListUsersCommand({}))],
      ['CreateUser', (i) => reader.send(new CreateUserCommand({ UserName: `created-${i}` }))],
    ];
    process.stdout.write(`PostgreSQL round trips per IAM call (${CALLS} calls each, one at a time)\n`);
    for (const [name, send] of calls) {
      await send(-1);
      statements.clear();
      const started = performance.now();
      for (let i = 0; i < CALLS; i++) await send(i);
      const elapsed = (performance.now() - started) / CALLS;
      const total = [...statements.values()].reduce((sum, n) => sum + n, 0);
      process.stdout.write(`${name}: ${(total / CALLS).toFixed(1)} round trips, ${elapsed.toFixed(1)} ms per call\n`);
      for (const [text, count] of [...statements].sort((a, b) => b[1] - a[1]))
        process.stdout.write(`  ${(count / CALLS).toFixed(2)}  ${text}\n`);
    }
  } finally {
    await server.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:round-trips failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
