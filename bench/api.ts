/**
 * `npm run bench:api`: the API's throughput over loopback. Starts `bursar serve` (SQLite in a temporary
 * directory) as a child process, creates an IAM user whose permissions come from a group policy, then
 * drives it with autocannon: first the unauthenticated `GET /_bursar/health` (the baseline), then
 * SigV4-signed IAM GetUser and ListUsers calls by that user. Prints requests/s, p50 and p99 for each and
 * the ratio against the goals (≥5,000 signed reads/s, p99 < 20 ms, ≥40% of the baseline).
 *
 * Requests are signed once, before the run, with the current time: a signature stays valid for the
 * 15-minute skew window, so reusing it measures the server's verification (which recomputes every
 * signature) without putting the client's signing cost into the load generator.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
} from '@aws-sdk/client-iam';
import { signRequest } from '../test/sigv4/sign-request.js';

interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const PORT = 40_000 + Math.floor(Math.random() * 20_000);
const URL_BASE = `http://127.0.0.1:${PORT}`;
const ROOT = { accessKeyId: 'AKIABENCHBENCHBENCH2', secretAccessKey: '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' };
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
// autocannon's own default; BENCH_CONNECTIONS overrides.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
// Extra node flags for the server only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it under load.
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

async function waitForHealth(): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(`${URL_BASE}/_bursar/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('server did not start');
}

async function setUpUser(): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const iam = new IAMClient({ endpoint: URL_BASE, region: 'us-east-1', credentials: ROOT });
  await iam.send(new CreateUserCommand({ UserName: 'BenchReader' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'BenchReaders' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'BenchReaders', UserName: 'BenchReader' }));
  await iam.send(
    new PutGroupPolicyCommand({
      GroupName: 'BenchReaders',
      PolicyName: 'ReadUsers',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }],
      }),
    }),
  );
  for (let i = 0; i < 20; i++) await iam.send(new CreateUserCommand({ UserName: `member-${i}` }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'BenchReader' }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

async function signedRequest(
  body: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<AutocannonRequest> {
  const signed = await signRequest(
    {
      host: `127.0.0.1:${PORT}`,
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    },
    credentials,
    { at: new Date() },
  );
  return { method: 'POST', path: '/', headers: Object.fromEntries(signed.headers), body };
}

// Linux's USER_HZ: /proc reports CPU time in these ticks.
const TICKS_PER_SECOND = 100;

/** The server process's CPU seconds so far in user and system (kernel) mode, from /proc; undefined where there is none. */
function serverCpuSeconds(pid: number | undefined): { user: number; system: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/**
 * Runs a load and also measures the server's own CPU time, so the figure per CPU-second stays meaningful
 * on a machine whose cores are shared with the load generator and other work. The kernel's share (mostly
 * loopback TCP) is reported apart from the server's own code.
 */
async function measure(pid: number | undefined, options: Parameters<Autocannon>[0]) {
  const before = serverCpuSeconds(pid);
  const result = await autocannon(options);
  const after = serverCpuSeconds(pid);
  if (before === undefined || after === undefined) return { result, cpu: undefined };
  const user = after.user - before.user;
  const system = after.system - before.system;
  if (user + system === 0) return { result, cpu: undefined };
  const total = result.requests.total;
  return {
    result,
    cpu: {
      perCpuSecond: total / (user + system),
      userMicros: (user * 1e6) / total,
      systemMicros: (system * 1e6) / total,
    },
  };
}

function row(name: string, result: AutocannonResult): string {
  return `${name.padEnd(34)} ${result.requests.average.toFixed(0).padStart(8)} req/s   p50 ${String(result.latency.p50).padStart(4)} ms   p99 ${String(result.latency.p99).padStart(4)} ms   (${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors)`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bursar-bench-'));
  const server = spawn(
    process.execPath,
    [...SERVER_NODE_ARGS, '--import', 'tsx', 'src/cli/main.ts', 'serve', '--data-dir', dataDir, '--port', String(PORT)],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        BURSAR_LOG_LEVEL: 'warn',
        BURSAR_BOOTSTRAP_ACCESS_KEY_ID: ROOT.accessKeyId,
        BURSAR_BOOTSTRAP_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
      },
    },
  );
  try {
    await waitForHealth();
    const user = await setUpUser();
    const requests = [
      await signedRequest('Action=GetUser&Version=2010-05-08&UserName=BenchReader', user),
      await signedRequest('Action=ListUsers&Version=2010-05-08&MaxItems=10', user),
    ];
    // A quick check that the signed requests are accepted before measuring them.
    for (const request of requests) {
      const response = await fetch(`${URL_BASE}/`, { method: 'POST', headers: request.headers, body: request.body });
      if (!response.ok) throw new Error(`signed request refused: ${response.status} ${await response.text()}`);
    }
    process.stdout.write(
      `Bursar API benchmark: ${CONNECTIONS} connections, ${DURATION}s per run, SQLite at ${dataDir}\n`,
    );
    await autocannon({ url: URL_BASE, connections: CONNECTIONS, duration: 2, requests }); // warm-up
    const base = await measure(server.pid, {
      url: `${URL_BASE}/_bursar/health`,
      connections: CONNECTIONS,
      duration: DURATION,
    });
    const sig = await measure(server.pid, { url: URL_BASE, connections: CONNECTIONS, duration: DURATION, requests });
    const baseline = base.result;
    const signed = sig.result;
    const ratio = signed.requests.average / baseline.requests.average;
    process.stdout.write(row('baseline GET /_bursar/health', baseline) + '\n');
    process.stdout.write(row('signed IAM GetUser + ListUsers', signed) + '\n');
    process.stdout.write(`ratio signed/baseline: ${(ratio * 100).toFixed(1)}%\n`);
    if (base.cpu !== undefined && sig.cpu !== undefined) {
      const cpuRatio = (sig.cpu.perCpuSecond / base.cpu.perCpuSecond) * 100;
      const split = (cpu: { userMicros: number; systemMicros: number }) =>
        `${cpu.userMicros.toFixed(0)} user + ${cpu.systemMicros.toFixed(0)} kernel`;
      process.stdout.write(
        `per server CPU-second: baseline ${base.cpu.perCpuSecond.toFixed(0)} req, signed ${sig.cpu.perCpuSecond.toFixed(0)} req ` +
          `(${(1e6 / sig.cpu.perCpuSecond).toFixed(0)} µs of server CPU per signed request; ratio ${cpuRatio.toFixed(1)}%)\n` +
          `server CPU per request in µs: baseline ${split(base.cpu)}, signed ${split(sig.cpu)}\n`,
      );
    }
    const goals = [
      [`≥5,000 signed reads/s`, signed.requests.average >= 5000],
      [`p99 < 20 ms`, signed.latency.p99 < 20],
      [`≥40% of baseline`, ratio >= 0.4],
      [`no errors`, signed.non2xx === 0 && signed.errors === 0],
    ] as const;
    process.stdout.write(`goals: ${goals.map(([name, met]) => `${name} ${met ? 'met' : 'NOT met'}`).join('; ')}\n`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:api failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
