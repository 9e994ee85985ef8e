/**
 * `bursar access-matrix`: every principal of the account × each action (`--actions`, default `aws-portal:*`) or
 * × each Billing console page and button (`--pages billing`), from `BursarService.GetAccessMatrix` — through a
 * running server (`--endpoint`) or the store, as `bursar who-can` does.
 */
import { parseArgs } from 'node:util';
import { ask, table } from './who-can-command.js';

const USAGE = `usage: bursar access-matrix [--actions PATTERN[,PATTERN…] | --pages billing] [--output table|json|csv]
                            [--account ID] [--endpoint URL | --data-dir DIR]

  every principal of the account (and, for an organization's management account, of its member accounts)
  against each action (default aws-portal:*; wildcards expand through the action catalog), or against each
  Billing console page and button in the account's console action set, with the IAM-access switch applied:
  allowed, denied, or conditional (the decision depends on request context such as MFA or source IP)

  --endpoint URL   ask a running server (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
  --data-dir DIR   read the store directly (default ./data; BURSAR_DATABASE_URL selects PostgreSQL); needs --account
`;

interface Response {
  Columns: { Id: string; Label: string }[];
  Principals: { AccountId: string; PrincipalType: string; Name: string; Decisions: string[] }[];
}

/** A CSV field, quoted when it must be (RFC 4180). */
function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Short cell text, so a wide matrix stays readable in a terminal. */
const MARK: Record<string, string> = { allowed: 'yes', denied: '-', conditional: 'cond' };

export async function run(argv: string[], print: (text: string) => void = (t) => process.stdout.write(t)) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        actions: { type: 'string' },
        pages: { type: 'string' },
        output: { type: 'string', default: 'table' },
        account: { type: 'string' },
        endpoint: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`bursar access-matrix: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    print(USAGE);
    return 0;
  }
  const output = values.output;
  if (
    !['table', 'json', 'csv'].includes(output) ||
    (values.actions !== undefined && values.pages !== undefined) ||
    (values.pages !== undefined && values.pages !== 'billing')
  ) {
    process.stderr.write(USAGE);
    return 2;
  }
  const input = {
    ...(values.actions === undefined ? {} : { Actions: values.actions.split(',').map((a) => a.trim()) }),
    ...(values.pages === undefined ? {} : { Pages: values.pages }),
    ...(values.account === undefined ? {} : { AccountId: values.account }),
  };
  const answer = (await ask('GetAccessMatrix', input, {
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    ...(values.account === undefined ? {} : { account: values.account }),
  })) as unknown as Response;
  if (output === 'json') {
    print(`${JSON.stringify(answer, null, 2)}\n`);
    return 0;
  }
  const multiAccount = new Set(answer.Principals.map((p) => p.AccountId)).size > 1;
  const header = [...(multiAccount ? ['ACCOUNT'] : []), 'TYPE', 'PRINCIPAL'];
  const rows = answer.Principals.map((p) => [
    ...(multiAccount ? [p.AccountId] : []),
    p.PrincipalType,
    p.Name,
    ...p.Decisions.map((d) => (output === 'csv' ? d : (MARK[d] ?? d))),
  ]);
  if (output === 'csv') {
    const lines = [[...header, ...answer.Columns.map((c) => c.Id)], ...rows];
    print(lines.map((line) => line.map(csvField).join(',')).join('\n') + '\n');
    return 0;
  }
  // Columns by id (the action, or page/button): labels are too wide for a terminal matrix.
  print(table([[...header, ...answer.Columns.map((c) => c.Id)], ...rows]));
  return 0;
}
