/**
 * `bursar policy validate [--kind …]`: reads one policy document from stdin and prints the validator's
 * findings as a JSON array. Exit code 0 when there is no ERROR finding, 1 when there is, 2 on bad usage.
 */
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { catalog } from '../catalog/index.js';
import { POLICY_KINDS, validatePolicy, type PolicyKind } from '../policy/validate.js';

const HELP = `usage: bursar policy validate [--kind KIND] < policy.json

Validates an IAM policy document read from stdin and prints the findings as a JSON array of
{findingType, issueCode, findingDetails, path, learnMoreLink}, in the manner of IAM Access Analyzer's
ValidatePolicy. findingType is ERROR, SECURITY_WARNING, WARNING or SUGGESTION.

options:
  --kind KIND   where the policy is used (default: managed); one of
                ${POLICY_KINDS.join(', ')}
                (trust = a role trust policy). It decides the Principal rules and the size quota.
  -h, --help    show this help

exit status: 0 when no finding is an ERROR, 1 when one is, 2 on bad usage.
`;

export async function run(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseArgs({
      args: argv,
      options: { kind: { type: 'string', default: 'managed' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(
      `bursar policy validate: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`,
    );
    return 2;
  }
  if (options.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const kind = options.kind as PolicyKind;
  if (!POLICY_KINDS.includes(kind)) {
    process.stderr.write(
      `bursar policy validate: unknown --kind ${options.kind}; use one of ${POLICY_KINDS.join(', ')}\n`,
    );
    return 2;
  }
  const document = await text(process.stdin);
  const findings = validatePolicy(document, kind, catalog());
  process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  return findings.some((f) => f.findingType === 'ERROR') ? 1 : 0;
}
