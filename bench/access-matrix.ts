/**
 * `npm run bench:access-matrix`: the access matrix (AccessAnalysis.matrix, what `bursar:GetAccessMatrix`
 * computes) for a generated account of USERS users in GROUPS groups with POLICIES customer managed policies
 * (five on each group, the rest on every fourth user; a tenth deny, one in twenty-five asks for MFA), against
 * every action of the billing services, on an in-memory SQLite store — printed beside a naive evaluation in the
 * same run: every (principal, action) cell asked as `who-can` asks it, the principal's set resolved from the
 * store and its context built per cell, with no work shared between cells.
 *
 * Each figure is the median of RUNS runs after one warm-up; the naive one (far slower) is run once, over the
 * first NAIVE_USERS principals, and scaled to the whole account.
 *
 *   MATRIX_USERS=1000 MATRIX_GROUPS=50 MATRIX_POLICIES=500 RUNS=5 NAIVE_USERS=100 npm run bench:access-matrix
 */
import { performance } from 'node:perf_hooks';
import { catalog } from '../src/catalog/index.js';
import type { Caller, RequestFacts } from '../src/core/operation.js';
import { AccessAnalysis } from '../src/iam/access-analysis.js';
import { requestContext } from '../src/operations/invoke.js';
import { systemClock } from '../src/platform/clock.js';
import { cryptoIdSource, requestId } from '../src/platform/ids.js';
import { silentLogger } from '../src/platform/logger.js';
import { buildWorld } from '../src/server/world.js';
import { openDatabase } from '../src/store/database.js';

const USERS = Number(process.env.MATRIX_USERS ?? 1000);
const GROUPS = Number(process.env.MATRIX_GROUPS ?? 50);
const POLICIES = Number(process.env.MATRIX_POLICIES ?? 500);
const RUNS = Number(process.env.RUNS ?? 5);
const NAIVE_USERS = Number(process.env.NAIVE_USERS ?? 100);
const ACCOUNT = '444455556666';

const BILLING_SERVICES = [
  'aws-portal',
  'billing',
  'ce',
  'budgets',
  'payments',
  'invoicing',
  'tax',
  'account',
  'cur',
  'freetier',
  'consolidatedbilling',
  'purchase-orders',
  'bcm-data-exports',
];
const ACTIONS = BILLING_SERVICES.flatMap((prefix) => catalog().expandAction(`${prefix}:*`));
const PATTERNS = ['aws-portal:View*', 'aws-portal:*', 'ce:Get*', 'budgets:View*', 'budgets:*', 'cur:Describe*'];
const REQUEST_KEYS = ['aws:SourceIp', 'aws:CurrentTime', 'aws:EpochTime', 'aws:MultiFactorAuthPresent'];

const facts = (): RequestFacts => ({
  requestId: requestId(cryptoIdSource),
  sourceIp: '127.0.0.1',
  userAgent: 'bench',
  now: systemClock.now(),
  via: 'json',
});

const database = await openDatabase({ ephemeral: true });
const world = await buildWorld({
  database,
  clock: systemClock,
  ids: cryptoIdSource,
  logger: silentLogger,
  region: 'us-east-1',
  passwordHashCost: 1024,
});
await world.accounts.signUp({
  email: `root@${ACCOUNT}.example`,
  password: 'Bench-Root-Passw0rd!',
  accountName: 'Bench',
  accountId: ACCOUNT,
});
const root: Caller = { kind: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };
const iam = (name: string, input: Record<string, unknown>) => world.invoke(root, facts(), 'iam', name, input);

const started = performance.now();
const arns: string[] = [];
for (let p = 0; p < POLICIES; p++) {
  const statement: Record<string, unknown> = {
    Effect: p % 10 === 9 ? 'Deny' : 'Allow',
    Action: [PATTERNS[p % PATTERNS.length], ACTIONS[(p * 37) % ACTIONS.length]],
    Resource: '*',
  };
  if (p % 25 === 24) statement.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  const created = (await iam('CreatePolicy', {
    PolicyName: `Billing${p}`,
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
  })) as { Policy: { Arn: string } };
  arns.push(created.Policy.Arn);
}
const onGroups = Math.min(POLICIES, GROUPS * 5);
for (let g = 0; g < GROUPS; g++) {
  await iam('CreateGroup', { GroupName: `Group${g}` });
  for (let k = 0; k < 5 && g * 5 + k < onGroups; k++) {
    await iam('AttachGroupPolicy', { GroupName: `Group${g}`, PolicyArn: arns[g * 5 + k] });
  }
}
const onUsers = arns.slice(onGroups);
for (let u = 0; u < USERS; u++) {
  const UserName = `User${u}`;
  await iam('CreateUser', { UserName });
  await iam('AddUserToGroup', { GroupName: `Group${u % GROUPS}`, UserName });
  if (u % 3 === 0) await iam('AddUserToGroup', { GroupName: `Group${(u * 7 + 1) % GROUPS}`, UserName });
  if (u % 4 === 0 && onUsers.length > 0) {
    await iam('AttachUserPolicy', { UserName, PolicyArn: onUsers[(u / 4) % onUsers.length] });
  }
}
console.log(
  `account: ${USERS} users, ${GROUPS} groups, ${POLICIES} policies (set up in ${((performance.now() - started) / 1000).toFixed(1)} s); ` +
    `${ACTIONS.length} billing actions`,
);

const analysis = new AccessAnalysis({
  ctx: world.iam,
  resolver: world.iamServices.resolver,
  principalContext: (caller, tags) => {
    const context = requestContext(caller, facts(), tags, 'us-east-1');
    for (const key of REQUEST_KEYS) delete context[key];
    return context;
  },
  requestKeys: REQUEST_KEYS,
});

const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

// The matrix: snapshot (a handful of queries) and every principal × every action.
let cells = 0;
const times: number[] = [];
const snapshotTimes: number[] = [];
for (let run = 0; run <= RUNS; run++) {
  const start = performance.now();
  const snapshot = await analysis.snapshot(ACCOUNT);
  const loaded = performance.now();
  const rows = await analysis.matrix(snapshot, ACTIONS);
  const elapsed = performance.now() - start;
  if (run > 0) {
    times.push(elapsed);
    snapshotTimes.push(loaded - start);
  }
  cells = rows.reduce((n, row) => n + row.cells.length, 0);
}
const matrixMs = median(times);
console.log(
  `access matrix: ${cells} cells (${cells / ACTIONS.length} principals × ${ACTIONS.length} actions) in ` +
    `${matrixMs.toFixed(0)} ms, of which reading the account ${median(snapshotTimes).toFixed(0)} ms ` +
    `(median of ${RUNS}; ${((cells / matrixMs) * 1000).toFixed(0)} cells/s)`,
);

// Naive: each cell asked on its own, as who-can asks one action (resolve, tags, context, evaluate, explain).
const principals = (await analysis.principals(ACCOUNT)).slice(0, NAIVE_USERS + 1);
const naiveStart = performance.now();
let naiveCells = 0;
for (const principal of principals) {
  for (const action of ACTIONS) {
    await analysis.decide(principal, [action]);
    naiveCells++;
  }
}
const naiveMs = performance.now() - naiveStart;
const scaled = (naiveMs / naiveCells) * cells;
console.log(
  `naive, cell by cell: ${naiveCells} cells in ${naiveMs.toFixed(0)} ms ` +
    `(${((naiveCells / naiveMs) * 1000).toFixed(0)} cells/s) → ${(scaled / 1000).toFixed(1)} s for the whole matrix, ` +
    `${(scaled / matrixMs).toFixed(0)}× the matrix`,
);
await database.close();
