/**
 * `bursar who-can ACTION` and `bursar can PRINCIPAL`: the access analysis (src/iam/access-analysis.ts) as a
 * table. With `--endpoint URL` it calls `BursarService.ListPrincipalsWithAccess` / `ListActionsForPrincipal`
 * signed with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (as `bursar import --endpoint` does); without, it opens
 * the store (`--data-dir`, or BURSAR_DATABASE_URL) and asks the same operation as the account's root user.
 */
import { parseArgs } from 'node:util';
import { signedJsonRequest } from '../billing/costs/import/remote-import.js';
import type { Caller } from '../core/operation.js';
import { configFromEnv } from '../platform/config.js';
import { systemClock } from '../platform/clock.js';
import { cryptoIdSource, requestId } from '../platform/ids.js';
import { silentLogger } from '../platform/logger.js';
import { buildWorld } from '../server/world.js';
import { openDatabase } from '../store/database.js';

const WHO_CAN_USAGE = `usage: bursar who-can ACTION [--resource ARN] [--account ID] [--endpoint URL | --data-dir DIR] [--json]

  every principal of the account (and, for an organization's management account, of its member accounts)
  with the decision for ACTION: allowed, denied, or conditional (naming the request keys it depends on);
  for an action a Billing console page asks for, also what the console's gate does before any policy
`;
const CAN_USAGE = `usage: bursar can PRINCIPAL [--service PREFIX] [--resource ARN] [--account ID] [--endpoint URL | --data-dir DIR] [--json]

  every action of the service (default aws-portal) PRINCIPAL (a user or role name, or an ARN) may perform,
  by access level
`;
const COMMON = `
  --endpoint URL   ask a running server (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
  --data-dir DIR   read the store directly (default ./data; BURSAR_DATABASE_URL selects PostgreSQL); needs --account
  --json           print the API's answer as JSON
`;

interface Statement {
  PolicyId: string;
  Via: string[];
  Sid?: string;
}
interface Answer {
  AccountId: string;
  PrincipalType: string;
  Name: string;
  Action: string;
  Decision: string;
  EngineDecision: string;
  ConditionKeys: string[];
  GrantedBy: Statement[];
  DeniedBy: Statement[];
  LimitedBy: string[];
  AssumableBy?: string[];
  Console?: { Verdict: string; ActionSet: string };
}

const LIMIT_WORDS: Record<string, string> = {
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  permissionBoundary: 'the permissions boundary',
  session: 'the session policy',
  identity: 'no identity-based policy allows it',
  resource: 'the resource-based policy',
};

function statementText(s: Statement): string {
  const name = s.PolicyId.replace(/^arn:aws:iam::(\d{12}|aws):policy\/(?:.*\/)?/, '');
  const via = s.Via.filter((v) => v.startsWith('group/')).map((v) => ` via ${v}`);
  return `${name}${s.Sid === undefined ? '' : ` (${s.Sid})`}${via.join(',')}`;
}

/** One line of why: what grants it, what it depends on, or what stops it. */
export function why(answer: Answer): string {
  if (answer.PrincipalType === 'root' && answer.Decision === 'allowed') return 'root user';
  const granted = answer.GrantedBy.map(statementText).join('; ');
  if (answer.Decision === 'allowed') return granted;
  if (answer.Decision === 'conditional') return `when ${answer.ConditionKeys.join(', ')}: ${granted}`;
  if (answer.EngineDecision === 'ExplicitlyDenied') {
    return `explicit deny: ${answer.DeniedBy.map(statementText).join('; ')}`;
  }
  return `implicit deny: ${answer.LimitedBy.map((t) => LIMIT_WORDS[t] ?? t).join(', ')}`;
}

/** What the Billing console's gate does with the principal before any policy (the IAM-access switch). */
function consoleText(answer: Answer): string {
  if (answer.Console === undefined) return '-';
  if (answer.Console.Verdict === 'refused') return 'refused: IAM access to billing is off';
  if (answer.Console.Verdict === 'not-asked') return `not asked in the ${answer.Console.ActionSet} action set`;
  return answer.Console.Verdict;
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export async function ask(
  operation: string,
  input: Record<string, unknown>,
  options: { endpoint?: string; dataDir?: string; account?: string },
): Promise<Record<string, unknown>> {
  if (options.endpoint !== undefined) {
    const response = await signedJsonRequest(options.endpoint, operation, input);
    const body = JSON.parse(response.body) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`${String(body.__type)}: ${String(body.message)}`);
    return body;
  }
  if (options.account === undefined) throw new Error('--account is needed when reading the store directly');
  const config = configFromEnv();
  const database = await openDatabase({
    ...(config.databaseUrl === undefined ? {} : { url: config.databaseUrl }),
    dataDir: options.dataDir ?? config.dataDir,
  });
  try {
    const world = await buildWorld({
      database,
      clock: systemClock,
      ids: cryptoIdSource,
      logger: silentLogger,
      region: config.region,
    });
    const root: Caller = {
      kind: 'root',
      accountId: options.account,
      arn: `arn:aws:iam::${options.account}:root`,
      userId: options.account,
    };
    const facts = {
      requestId: requestId(cryptoIdSource),
      sourceIp: '127.0.0.1',
      userAgent: 'bursar-cli',
      now: systemClock.now(),
      via: 'json' as const,
    };
    return await world.invoke(root, facts, 'bursar', operation, input);
  } finally {
    await database.close();
  }
}

export async function run(
  argv: string[],
  command: 'who-can' | 'can' = 'who-can',
  print: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  const usage = (command === 'who-can' ? WHO_CAN_USAGE : CAN_USAGE) + COMMON;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        resource: { type: 'string' },
        account: { type: 'string' },
        service: { type: 'string' },
        endpoint: { type: 'string' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`bursar ${command}: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(usage);
    return 0;
  }
  if (positionals.length !== 1 || (command === 'who-can' && values.service !== undefined)) {
    process.stderr.write(usage);
    return 2;
  }
  const target = {
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    ...(values.account === undefined ? {} : { account: values.account }),
  };
  const common = {
    ...(values.resource === undefined ? {} : { Resource: values.resource }),
    ...(values.account === undefined ? {} : { AccountId: values.account }),
  };
  const output =
    command === 'who-can'
      ? await ask('ListPrincipalsWithAccess', { Action: positionals[0], ...common }, target)
      : await ask(
          'ListActionsForPrincipal',
          {
            Principal: positionals[0],
            ...(values.service === undefined ? {} : { Service: values.service }),
            ...common,
          },
          target,
        );
  if (values.json) {
    print(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  }
  if (command === 'who-can') {
    const answers = output.Principals as Answer[];
    const multiAccount = new Set(answers.map((a) => a.AccountId)).size > 1;
    // Only an action a Billing console page asks for has a console column.
    const consoleGated = answers.some((a) => a.Console !== undefined);
    const rows = answers.map((a) => [
      ...(multiAccount ? [a.AccountId] : []),
      a.PrincipalType,
      a.Name,
      a.Decision,
      why(a),
      ...(consoleGated ? [consoleText(a)] : []),
    ]);
    const header = [
      ...(multiAccount ? ['ACCOUNT'] : []),
      'TYPE',
      'PRINCIPAL',
      'DECISION',
      'WHY',
      ...(consoleGated ? ['BILLING CONSOLE'] : []),
    ];
    print(table([header, ...rows]));
    return 0;
  }
  const levels = output.AccessLevels as { AccessLevel: string; Actions: Answer[] }[];
  const rows = levels.flatMap((level) => level.Actions.map((a) => [level.AccessLevel, a.Action, a.Decision, why(a)]));
  print(table([['ACCESS LEVEL', 'ACTION', 'DECISION', 'WHY'], ...rows]));
  return 0;
}
