/**
 * `npm run bench:who-can`: how long `bursar:ListPrincipalsWithAccess` takes through invoke() (authorization,
 * principal resolution, the engine, conditional re-evaluation) over the seed account, and over a generated
 * account of USERS users in GROUPS groups (every group with its own managed policy, a tenth of the policies
 * conditioned on MFA), on an in-memory SQLite store. Each figure is the median of RUNS calls after one warm-up.
 *
 *   WHO_CAN_USERS=200 WHO_CAN_GROUPS=20 RUNS=5 npm run bench:who-can
 */
import { performance } from 'node:perf_hooks';
import type { Caller, RequestFacts } from '../src/core/operation.js';
import { systemClock } from '../src/platform/clock.js';
import { cryptoIdSource, requestId } from '../src/platform/ids.js';
import { silentLogger } from '../src/platform/logger.js';
import { buildWorld, type World } from '../src/server/world.js';
import { openDatabase } from '../src/store/database.js';

const USERS = Number(process.env.WHO_CAN_USERS ?? 200);
const GROUPS = Number(process.env.WHO_CAN_GROUPS ?? 20);
const RUNS = Number(process.env.RUNS ?? 5);

const facts = (): RequestFacts => ({
  requestId: requestId(cryptoIdSource),
  sourceIp: '127.0.0.1',
  userAgent: 'bench',
  now: systemClock.now(),
  via: 'json',
});

async function account(world: World, accountId: string): Promise<Caller> {
  await world.accounts.signUp({
    email: `root@${accountId}.example`,
    password: 'Bench-Root-Passw0rd!',
    accountName: accountId,
    accountId,
  });
  return { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
}

async function populate(world: World, root: Caller, users: number, groups: number): Promise<void> {
  const iam = (name: string, input: Record<string, unknown>) => world.invoke(root, facts(), 'iam', name, input);
  for (let g = 0; g < groups; g++) {
    const statement: Record<string, unknown> = {
      Effect: 'Allow',
      Action: g % 2 === 0 ? 'aws-portal:*' : ['aws-portal:ViewBilling', 'aws-portal:ViewUsage'],
      Resource: '*',
    };
    if (g % 10 === 9) statement.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    const created = (await iam('CreatePolicy', {
      PolicyName: `Billing${g}`,
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
    })) as { Policy: { Arn: string } };
    await iam('CreateGroup', { GroupName: `Group${g}` });
    await iam('AttachGroupPolicy', { GroupName: `Group${g}`, PolicyArn: created.Policy.Arn });
  }
  for (let u = 0; u < users; u++) {
    await iam('CreateUser', { UserName: `User${u}` });
    await iam('AddUserToGroup', { GroupName: `Group${u % groups}`, UserName: `User${u}` });
  }
}

async function median(world: World, root: Caller): Promise<{ ms: number; principals: number }> {
  const call = () =>
    world.invoke(root, facts(), 'bursar', 'ListPrincipalsWithAccess', { Action: 'aws-portal:ModifyBilling' });
  await call();
  const times: number[] = [];
  let principals = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    principals = ((await call()).Principals as unknown[]).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, principals };
}

const database = await openDatabase({ ephemeral: true });
const world = await buildWorld({
  database,
  clock: systemClock,
  ids: cryptoIdSource,
  logger: silentLogger,
  region: 'us-east-1',
  passwordHashCost: 1024,
});
const seed = await account(world, '111122223333');
await populate(world, seed, 2, 2);
const large = await account(world, '444455556666');
await populate(world, large, USERS, GROUPS);
for (const [label, root] of [
  ['seed-sized account (2 users, 2 groups)', seed],
  [`generated account (${USERS} users, ${GROUPS} groups)`, large],
] as const) {
  const { ms, principals } = await median(world, root);
  console.log(
    `who-can aws-portal:ModifyBilling, ${label}: ${principals} principals in ${ms.toFixed(1)} ms (median of ${RUNS})`,
  );
}
await database.close();
