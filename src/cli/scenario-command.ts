/**
 * `bursar scenario apply|test|export`: scenarios as code (docs/scenarios.md). A client of the public APIs
 * (src/scenario/), signed with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY against --endpoint (Bursar's URL;
 * without it, AWS's own endpoints).
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { applyScenario } from '../scenario/apply.js';
import { outcomeJunit, outcomeRows, runExpectations } from '../scenario/expectations.js';
import { EXPORT_FORMATS, exportState, type ExportFormat } from '../scenario/export.js';
import { formatErrors, loadScenario } from '../scenario/scenario.js';
import { readState } from '../scenario/state.js';
import { clientsFor, targetFromEnv } from '../scenario/target.js';
import { table } from './who-can-command.js';

const USAGE = `usage: bursar scenario apply FILE [--endpoint URL] [--dry-run] [--prune]
       bursar scenario test FILE [--endpoint URL] [--output table|junit] [--junit-file PATH]
       bursar scenario export [--format scenario|terraform|cloudformation|cli] [--no-import] [--endpoint URL] [--out PATH]
       bursar scenario validate FILE

  apply     make the account match FILE (idempotent: a second run says "No changes"); --dry-run prints the
            plan, --prune also deletes users, groups, roles, policies, budgets and SCPs FILE does not name
  test      check FILE's expect: list through iam:SimulatePrincipalPolicy; exits 1 when any check fails
  export    write the account's setup (Terraform: with import blocks unless --no-import); a scenario is
            YAML when --out names a .yaml or .yml file, else JSON
  validate  check FILE (JSON or YAML; errors with line and column) without calling anything

  --endpoint URL   Bursar's URL (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_REGION)
`;

export async function run(
  argv: string[],
  print: (text: string) => void = (text) => process.stdout.write(text),
  printError: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        endpoint: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        prune: { type: 'boolean', default: false },
        output: { type: 'string', default: 'table' },
        'junit-file': { type: 'string' },
        format: { type: 'string', default: 'scenario' },
        'no-import': { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    printError(`bursar scenario: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, file, ...extra] = positionals;
  if (values.help) {
    print(USAGE);
    return 0;
  }
  const needsFile = command === 'apply' || command === 'test' || command === 'validate';
  if (
    !['apply', 'test', 'export', 'validate'].includes(command ?? '') ||
    extra.length > 0 ||
    (needsFile ? file === undefined : file !== undefined) ||
    !EXPORT_FORMATS.includes(values.format as ExportFormat) ||
    !['table', 'junit'].includes(values.output)
  ) {
    printError(USAGE);
    return 2;
  }

  if (command === 'export') {
    const clients = clientsFor(targetFromEnv(values.endpoint));
    const text = exportState(await readState(clients), values.format as ExportFormat, {
      imports: !values['no-import'],
      yaml: values.out !== undefined && /\.ya?ml$/i.test(values.out),
    });
    if (values.out === undefined) print(text);
    else await writeFile(values.out, text);
    return 0;
  }

  const loaded = await loadScenario(file!);
  if (!loaded.ok) {
    printError(formatErrors(file!, loaded.errors));
    printError(`${file}: ${loaded.errors.length} error(s); nothing was changed.\n`);
    return 2;
  }
  if (command === 'validate') {
    print(`${file}: valid\n`);
    return 0;
  }
  const clients = clientsFor(targetFromEnv(values.endpoint));
  if (command === 'apply') {
    await applyScenario(loaded.scenario, clients, {
      dryRun: values['dry-run'],
      prune: values.prune,
      progress: (line) => print(`${line}\n`),
      onPassword: (user, password) => print(`  ${user}'s console password (shown once): ${password}\n`),
    });
    return 0;
  }
  const outcomes = await runExpectations(loaded.scenario, await readState(clients), clients);
  const junit = outcomeJunit(basename(file!), outcomes);
  if (values['junit-file'] !== undefined) await writeFile(values['junit-file'], junit);
  if (values.output === 'junit') print(junit);
  else {
    const failed = outcomes.filter((o) => !o.passed).length;
    print(table(outcomeRows(outcomes)));
    print(`\n${outcomes.length - failed} passed, ${failed} failed\n`);
  }
  return outcomes.every((o) => o.passed) ? 0 : 1;
}
