/**
 * `bursar policy actions <service-or-pattern> [--access-level LEVEL] [--format json|table]`: lists IAM actions
 * with their access levels from the service catalog.
 */
import { parseArgs } from 'node:util';
import { ACCESS_LEVELS, catalog, type AccessLevel, type ActionDescription } from '../catalog/index.js';

const HELP = `usage: bursar policy actions <service-or-pattern> [--access-level LEVEL] [--format json|table]

Lists IAM actions and their access levels. The argument is a service prefix (aws-portal), a service
name ("Billing Console"), or an action pattern with * and ? wildcards (aws-portal:View*, *:Get*).

options:
  --access-level LEVEL  only actions of this access level, as the IAM visual editor groups them:
                        ${ACCESS_LEVELS.join(', ')} (case-insensitive)
  --format FORMAT       json (default): an array of {action, accessLevel, description, resourceTypes,
                        conditionKeys}; table: one action per line, for people
  -h, --help            show this help

exit status: 0 when actions were found, 1 when none matched, 2 on bad usage.
`;

function usageError(message: string): number {
  process.stderr.write(`bursar policy actions: ${message}\n\n${HELP}`);
  return 2;
}

function table(actions: ActionDescription[]): string {
  const width = Math.max(6, ...actions.map((a) => a.action.length));
  const levelWidth = Math.max(12, ...actions.map((a) => a.accessLevel.length));
  const rows = actions.map((a) => `${a.action.padEnd(width)}  ${a.accessLevel.padEnd(levelWidth)}  ${a.description}`);
  return `${'ACTION'.padEnd(width)}  ${'ACCESS LEVEL'.padEnd(levelWidth)}  DESCRIPTION\n${rows.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'access-level': { type: 'string' },
        format: { type: 'string', default: 'json' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) return usageError('give exactly one service prefix or action pattern');
  let level: AccessLevel | undefined;
  if (values['access-level'] !== undefined) {
    const wanted = values['access-level'].toLowerCase();
    level = ACCESS_LEVELS.find((l) => l.toLowerCase() === wanted);
    if (level === undefined)
      return usageError(`unknown access level ${values['access-level']}; use one of ${ACCESS_LEVELS.join(', ')}`);
  }
  if (values.format !== 'json' && values.format !== 'table')
    return usageError(`unknown format ${values.format}; use json or table`);

  const c = catalog();
  // A bare argument names a service by prefix or by name, as the visual editor's search does ("Billing Console").
  const service = target.includes(':') || target === '*' ? undefined : c.resolveService(target);
  const pattern = target.includes(':') || target === '*' ? target : `${service?.prefix ?? target}:*`;
  const actions = c.expandActionDescriptions(pattern).filter((a) => level === undefined || a.accessLevel === level);
  if (values.format === 'table') {
    process.stdout.write(actions.length === 0 ? '' : table(actions));
  } else {
    const shown = actions.map((a) => ({
      action: a.action,
      accessLevel: a.accessLevel,
      description: a.description,
      resourceTypes: a.resourceTypes,
      conditionKeys: a.conditionKeys,
    }));
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
  }
  if (actions.length === 0) {
    process.stderr.write(
      c.hasService(target.split(':')[0] ?? '')
        ? `no actions match ${target}\n`
        : `unknown service ${target.split(':')[0] ?? ''}\n`,
    );
    return 1;
  }
  return 0;
}
