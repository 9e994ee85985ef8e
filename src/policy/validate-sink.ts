/** The finding collector and helpers shared by the validator's files. */
import type { Finding, FindingType } from './validate.js';
import type { JsonEntry, JsonNode } from './validate-json.js';

const DOCS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html';

export type Path = (string | number)[];

/** Collects findings; `report` keeps the call sites short. */
export class FindingSink {
  readonly findings: Finding[] = [];
  report(findingType: FindingType, issueCode: string, findingDetails: string, path: Path): void {
    this.findings.push({ findingType, issueCode, findingDetails, path: [...path], learnMoreLink: DOCS });
  }
}

export const describeNode = (node: JsonNode): string =>
  node.kind === 'object' ? 'an object' : node.kind === 'array' ? 'an array' : `a ${node.kind}`;

/** Checks `${…}` syntax; returns false when the value has a malformed variable (its other checks are skipped). */
export function checkVariables(sink: FindingSink, value: string, path: Path, variablesEnabled: boolean): boolean {
  let from = 0;
  let wellFormed = true;
  for (;;) {
    const start = value.indexOf('${', from);
    if (start < 0) break;
    const end = value.indexOf('}', start);
    if (end < 0) {
      sink.report(
        'ERROR',
        'MISSING_BRACE_IN_VARIABLE',
        `The policy variable in ${value} is missing a closing curly brace. Add } after the variable text.`,
        path,
      );
      return false;
    }
    const body = value.slice(start + 2, end);
    const name = (body.split(',')[0] ?? '').trim();
    if (name === '') {
      sink.report(
        'ERROR',
        'EMPTY_VARIABLE',
        `Empty policy variable in ${value}. Remove the \${} structure or provide a variable within it.`,
        path,
      );
      wellFormed = false;
    } else if (/\s/.test(body.split(',')[0] ?? '')) {
      sink.report(
        'ERROR',
        'UNSUPPORTED_SPACE_IN_VARIABLE',
        `A space is not supported within the policy variable ${name}. Remove the space.`,
        path,
      );
      wellFormed = false;
    } else if (!variablesEnabled && name !== '*' && name !== '?' && name !== '$') {
      sink.report(
        'ERROR',
        'VARIABLE_UNSUPPORTED_IN_VERSION',
        'To include variables in your policy, use the policy version 2012-10-17 or later. Without it, the variable is matched as literal text.',
        path,
      );
      wellFormed = false;
    }
    from = end + 1;
  }
  return wellFormed;
}

/** A string-or-array-of-strings element's values with their paths; reports other types. */
export function stringList(
  sink: FindingSink,
  entry: JsonEntry,
  path: Path,
): { value: string; path: Path }[] | undefined {
  const node = entry.value;
  if (node.kind === 'string') return [{ value: node.value, path }];
  if (node.kind !== 'array') {
    sink.report(
      'ERROR',
      'DATA_TYPE_MISMATCH',
      `The ${entry.key} element must be a string or an array of strings, not ${describeNode(node)}.`,
      path,
    );
    return undefined;
  }
  const values: { value: string; path: Path }[] = [];
  node.items.forEach((item, index) => {
    if (item.kind === 'string') values.push({ value: item.value, path: [...path, index] });
    else
      sink.report(
        'ERROR',
        'DATA_TYPE_MISMATCH',
        `The ${entry.key} element must contain only strings, not ${describeNode(item)}.`,
        [...path, index],
      );
  });
  return values;
}
