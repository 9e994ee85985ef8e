/**
 * `npm run bench:policy`: decisions per second and latency of the policy engine, with the naive reference
 * evaluator measured side by side on the same cases (the speed-up is their ratio).
 *
 * Latency: a per-call timer costs tens of nanoseconds, as much as a decision, so latency is measured
 * over batches of BATCH consecutive decisions (batch time / BATCH); p50/p99 are over those batch means.
 * Single thread, no workers. Prints a table; no assertions.
 */
import { compilePolicy, createPolicySet, evaluate } from '../src/policy/index.js';
import type { CompiledPolicy, EvaluationCase, PolicySetInput, PolicyType, RequestInput } from '../src/policy/index.js';
import type { CompiledPolicySet } from '../src/policy/index.js';
import { referenceEvaluate } from '../src/policy/spec/reference.js';

const BATCH = 64;
const ACCOUNT = '123456789012';

interface Figures {
  perSecond: number;
  /** Decisions per second of this process's CPU time: unaffected by other processes on a busy machine. */
  perCpuSecond: number;
  p50: number;
  p99: number;
  decisions: number;
}

function measure(run: (i: number) => unknown, budgetMs: number, batch = BATCH): Figures {
  for (let i = 0; i < batch * 20; i += 1) run(i); // warm-up: JIT and the per-action plans
  const means: number[] = [];
  let total = 0n;
  let n = 0;
  const budget = BigInt(budgetMs) * 1_000_000n;
  const cpuBefore = process.cpuUsage();
  while (total < budget) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i += 1) run(n + i);
    const elapsed = process.hrtime.bigint() - start;
    total += elapsed;
    n += batch;
    means.push(Number(elapsed) / batch);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  means.sort((a, b) => a - b);
  const at = (q: number): number => means[Math.min(means.length - 1, Math.floor(q * means.length))]!;
  return {
    perSecond: (n / Number(total)) * 1e9,
    perCpuSecond: n / cpuSeconds,
    p50: at(0.5),
    p99: at(0.99),
    decisions: n,
  };
}

function compileSet(p: PolicySetInput): CompiledPolicySet {
  const one = (doc: unknown, policyType: PolicyType, policyId: string): CompiledPolicy => {
    const r = compilePolicy(doc, { policyType, policyId });
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r.policy;
  };
  return createPolicySet({
    identity: p.identity.map((d, i) => one(d, 'identity', `identity[${i}]`)),
    resource: p.resource === undefined ? undefined : one(p.resource, 'resource', 'resource'),
    permissionBoundary:
      p.permissionBoundary === undefined ? undefined : one(p.permissionBoundary, 'permissionBoundary', 'boundary'),
    session: p.session === undefined ? undefined : [one(p.session, 'session', 'session')],
    scps: p.scps?.map((level, i) => level.map((d, j) => one(d, 'scp', `scps[${i}][${j}]`))),
    rcps: p.rcps?.map((level, i) => level.map((d, j) => one(d, 'rcp', `rcps[${i}][${j}]`))),
  });
}

interface Workload {
  name: string;
  cases: { request: RequestInput; policies: PolicySetInput }[];
}

const AWS_PORTAL = [
  'ViewBilling',
  'ModifyBilling',
  'ViewAccount',
  'ModifyAccount',
  'ViewPaymentMethods',
  'ModifyPaymentMethods',
  'ViewUsage',
  'GetConsoleActionSetEnforced',
  'UpdateConsoleActionSetEnforced',
].map((a) => `aws-portal:${a}`);

function w1(): Workload {
  const doc = (action: string): unknown => ({
    Version: '2012-10-17',
    Statement: [{ Sid: 'VisualEditor0', Effect: 'Allow', Action: action, Resource: '*' }],
  });
  const users: [string, string][] = [
    ['FinanceManager', 'aws-portal:*'],
    ['FinanceUser', 'aws-portal:View*'],
  ];
  return {
    name: 'W1 tutorial: 2 users x 9 aws-portal actions',
    cases: users.flatMap(([user, action]) => {
      const policies = { identity: [doc(action)] };
      return AWS_PORTAL.map((a) => ({
        request: { principal: `arn:aws:iam::${ACCOUNT}:user/${user}`, action: a, resource: '*' },
        policies,
      }));
    }),
  };
}

/** 10 managed policies x 20 statements over 3 groups, one Deny policy, a boundary and a two-level SCP chain. */
function w2(): Workload {
  const services = ['s3', 'ec2', 'dynamodb', 'logs', 'cloudwatch', 'sqs', 'sns', 'lambda', 'aws-portal', 'ce'];
  const verbs = ['Get*', 'List*', 'Describe*', 'Put*', 'View*', 'Query', 'Send*', 'Create*', 'Update*', 'Delete*'];
  const conditions = [
    { StringEquals: { 'aws:username': '${aws:username}' } },
    { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] } },
    { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } },
    { StringLike: { 's3:prefix': ['home/${aws:username}/*', 'shared/*'] } },
  ];
  const managed = Array.from({ length: 10 }, (_, p) => ({
    Version: '2012-10-17',
    Statement: Array.from({ length: 20 }, (_, s) => {
      const service = services[(p * 3 + s) % services.length]!;
      return {
        Sid: `P${p}S${s}`,
        Effect: 'Allow',
        Action: [`${service}:${verbs[(p + s) % verbs.length]}`, `${service}:${verbs[(p + 2 * s + 1) % verbs.length]}`],
        Resource:
          service === 's3'
            ? [`arn:aws:s3:::team-${s % 4}-*`, `arn:aws:s3:::team-${s % 4}-*/*`]
            : [`arn:aws:${service}:*:${ACCOUNT}:*`, '*'],
        Condition: conditions[(p + s) % conditions.length],
      };
    }),
  }));
  const deny = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'NoDeletes', Effect: 'Deny', Action: ['s3:DeleteBucket', 'dynamodb:Delete*', 'iam:*'], Resource: '*' },
    ],
  };
  const boundary = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:*', 'ec2:*', 'dynamodb:*', 'logs:*', 'cloudwatch:*', 'aws-portal:*', 'ce:*'],
        Resource: '*',
      },
    ],
  };
  const fullAccess = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const ouGuardrail = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: ['organizations:LeaveOrganization', 'account:CloseAccount'], Resource: '*' },
      {
        Effect: 'Deny',
        Action: 'ec2:RunInstances',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
      },
    ],
  };
  const policies: PolicySetInput = {
    identity: [...managed, deny],
    permissionBoundary: boundary,
    scps: [[fullAccess], [ouGuardrail]],
  };
  const ctx = (ip: string, time: string, prefix?: string): Record<string, string> => ({
    'aws:SourceIp': ip,
    'aws:CurrentTime': time,
    ...(prefix === undefined ? {} : { 's3:prefix': prefix }),
  });
  const alice = `arn:aws:iam::${ACCOUNT}:user/alice`;
  const requests: RequestInput[] = [
    {
      principal: alice,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::team-1-data/report.csv',
      context: ctx('10.1.2.3', '2026-11-27T12:00:00Z', 'home/alice/x'),
    },
    {
      principal: alice,
      action: 's3:ListBucket',
      resource: 'arn:aws:s3:::team-2-logs',
      context: ctx('10.1.2.3', '2026-11-27T12:00:00Z', 'shared/a'),
    },
    {
      principal: alice,
      action: 's3:DeleteBucket',
      resource: 'arn:aws:s3:::team-1-data',
      context: ctx('10.1.2.3', '2026-11-27T12:00:00Z'),
    },
    {
      principal: alice,
      action: 'ec2:DescribeInstances',
      resource: '*',
      context: ctx('10.1.2.3', '2026-11-27T12:00:00Z'),
    },
    {
      principal: alice,
      action: 'ec2:DescribeInstances',
      resource: '*',
      context: ctx('8.8.8.8', '2027-06-01T00:00:00Z'),
    },
    {
      principal: alice,
      action: 'dynamodb:Query',
      resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/t`,
      context: ctx('192.168.4.4', '2026-11-27T12:00:00Z'),
    },
    {
      principal: alice,
      action: 'dynamodb:DeleteTable',
      resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/t`,
      context: ctx('10.0.0.1', '2026-11-27T12:00:00Z'),
    },
    {
      principal: alice,
      action: 'sqs:SendMessage',
      resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:q`,
      context: ctx('10.0.0.1', '2026-11-27T12:00:00Z'),
    },
    {
      principal: alice,
      action: 'aws-portal:ViewBilling',
      resource: '*',
      context: ctx('10.0.0.1', '2026-11-27T12:00:00Z'),
    },
    {
      principal: alice,
      action: 'aws-portal:ModifyBilling',
      resource: '*',
      context: ctx('10.0.0.1', '2026-11-27T12:00:00Z'),
    },
    {
      principal: alice,
      action: 'iam:CreateUser',
      resource: `arn:aws:iam::${ACCOUNT}:user/x`,
      context: ctx('10.0.0.1', '2026-11-27T12:00:00Z'),
    },
    {
      principal: alice,
      action: 'organizations:LeaveOrganization',
      resource: '*',
      context: ctx('10.0.0.1', '2026-11-27T12:00:00Z'),
    },
    {
      principal: alice,
      action: 'logs:PutLogEvents',
      resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:g`,
      context: ctx('10.0.0.1', '2026-11-27T12:00:00Z'),
    },
    {
      principal: alice,
      action: 'lambda:InvokeFunction',
      resource: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:f`,
      context: ctx('10.0.0.1', '2026-11-27T12:00:00Z'),
    },
    { principal: alice, action: 'ce:GetCostAndUsage', resource: '*', context: ctx('10.0.0.1', '2026-11-27T12:00:00Z') },
    {
      principal: alice,
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::other-bucket/k',
      context: ctx('10.0.0.1', '2026-11-27T12:00:00Z'),
    },
  ];
  return {
    name: 'W2 3 groups, 10x20 statements, deny, boundary, 2-level SCPs',
    cases: requests.map((request) => ({ request, policies })),
  };
}

/** One identity policy of n statements, each naming its own action; requests hit and miss. */
function w3(n: number): Workload {
  const statements = Array.from({ length: n }, (_, i) => ({
    Sid: `S${i}`,
    Effect: 'Allow',
    Action: `svc${i % 50}:Action${i}`,
    Resource: `arn:aws:svc${i % 50}:*:${ACCOUNT}:thing/${i}/*`,
  }));
  const policies: PolicySetInput = { identity: [{ Version: '2012-10-17', Statement: statements }] };
  const principal = `arn:aws:iam::${ACCOUNT}:user/w3`;
  const requests: RequestInput[] = Array.from({ length: 16 }, (_, k) => {
    const i = Math.floor((k * n) / 16);
    const hit = k % 2 === 0;
    return {
      principal,
      action: hit ? `svc${i % 50}:Action${i}` : `svc${i % 50}:Missing${i}`,
      resource: `arn:aws:svc${i % 50}:eu-west-1:${ACCOUNT}:thing/${i}/x`,
    };
  });
  return { name: `W3 ${n} statements`, cases: requests.map((request) => ({ request, policies })) };
}

function decisionsOf(w: Workload, setFor: (k: number) => CompiledPolicySet): string {
  const counts: Record<string, number> = {};
  for (const [k, c] of w.cases.entries()) {
    const d = evaluate(c.request, setFor(k)).decision;
    counts[d] = (counts[d] ?? 0) + 1;
  }
  return Object.entries(counts)
    .map(([d, k]) => `${k} ${d}`)
    .join(', ');
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ns = (v: number): string =>
  v >= 1e6 ? `${fmt(v / 1e6, 2)} ms` : v >= 1e3 ? `${fmt(v / 1e3, 2)} µs` : `${fmt(v)} ns`;

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

const WIDTHS = [62, 13, 13, 13, 10, 10, 12, 10, 10, 9];

/** `npm run bench:policy -- W2` runs only the workloads whose name starts with W2. */
const only = process.argv[2];

function report(w: Workload, engineBudgetMs: number, referenceBudgetMs: number): void {
  if (only !== undefined && !w.name.startsWith(only)) return;
  // Cases that share one policy document share one compiled set, as a server caches a principal's set.
  const byPolicies = new Map<PolicySetInput, CompiledPolicySet>();
  const sets = w.cases.map(
    (c) => byPolicies.get(c.policies) ?? byPolicies.set(c.policies, compileSet(c.policies)).get(c.policies)!,
  );
  const count = w.cases.length;
  const engine = measure((i) => {
    const k = i % count;
    return evaluate(w.cases[k]!.request, sets[k]!);
  }, engineBudgetMs);
  const reference = measure((i) => referenceEvaluate(w.cases[i % count] as EvaluationCase), referenceBudgetMs, 4);
  console.log(
    row(
      [
        w.name,
        fmt(engine.perSecond),
        fmt(engine.perCpuSecond),
        fmt(1e9 / engine.p50),
        ns(engine.p50),
        ns(engine.p99),
        fmt(reference.perSecond),
        ns(reference.p50),
        ns(reference.p99),
        `${fmt(engine.perSecond / reference.perSecond, 0)}x`,
      ],
      WIDTHS,
    ),
  );
  console.log(`    mix: ${decisionsOf(w, (k) => sets[k]!)}`);
}

console.log(
  `policy engine benchmark — node ${process.version}, single thread; latency = mean per decision over batches of ${BATCH}`,
);
console.log(
  'dec/s = decisions / wall time (includes any time the OS gave the core to another process); ' +
    'per CPU-s = decisions / CPU time of this process; at p50 = 1 s / median batch mean',
);
console.log(
  row(
    ['workload', 'engine dec/s', 'per CPU-s', 'at p50', 'p50', 'p99', 'reference/s', 'p50', 'p99', 'speed-up'],
    WIDTHS,
  ),
);
report(w1(), 1500, 500);
report(w2(), 3000, 1000);
for (const n of [1, 10, 100, 1_000, 10_000]) report(w3(n), 1000, n >= 1000 ? 1500 : 500);

// W3 cold path: the first request for an action builds its plan (service-prefix index, then glob tests).
// A fresh copy of the policy is compiled for the timed run, so no cache from the warm-up helps it.
const COLD_ACTIONS = 1000;
if (only === undefined || only === 'W3') {
  console.log(`\nW3 first request per action (plan build, caches cold): mean over ${COLD_ACTIONS} distinct actions`);
}
for (const n of only === undefined || only === 'W3' ? [1, 10, 100, 1_000, 10_000] : []) {
  const principal = `arn:aws:iam::${ACCOUNT}:user/w3`;
  const firstRequests = (set: CompiledPolicySet, tag: string): [number, number] => {
    const start = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    for (let k = 0; k < COLD_ACTIONS; k += 1) {
      evaluate({ principal, action: `svc${k % 50}:${k % 2 === 0 ? 'Action' : tag}${k}`, resource: '*' }, set);
    }
    const cpu = process.cpuUsage(cpuBefore);
    return [Number(process.hrtime.bigint() - start) / COLD_ACTIONS, ((cpu.user + cpu.system) * 1000) / COLD_ACTIONS];
  };
  firstRequests(compileSet(w3(n).cases[0]!.policies), 'Warm');
  const [wall, cpu] = firstRequests(compileSet(w3(n).cases[0]!.policies), 'Miss');
  console.log(`    ${String(n).padStart(6)} statements: ${ns(wall)} wall, ${ns(cpu)} CPU`);
}
