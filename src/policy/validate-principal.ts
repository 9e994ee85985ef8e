/** The Principal (or NotPrincipal) element: which policy kinds take one, and the form of each principal. */
import type { PolicyKind } from './validate.js';
import type { FindingSink } from './validate-sink.js';
import { describeNode, stringList, type Path } from './validate-sink.js';
import type { JsonEntry } from './validate-json.js';
import { closestMatch, hasWildcard } from './validate-text.js';

export const PRINCIPAL_KEYS = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

export const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com)$/;
export const AWS_PRINCIPAL =
  /^arn:[a-z-]+:(iam::\d{12}:(root|user\/.+|role\/.+|federated-user\/.+)|sts::\d{12}:(assumed-role\/.+\/.+|federated-user\/.+))$/;

export function checkPrincipal(sink: FindingSink, entry: JsonEntry, path: Path, kind: PolicyKind): void {
  const node = entry.value;
  if (kind === 'rcp') {
    if (entry.key !== 'Principal' || node.kind !== 'string' || node.value !== '*') {
      sink.report(
        'ERROR',
        'RCP_SYNTAX_ERROR_PRINCIPAL',
        'RCPs support only "Principal": "*". Use the Condition element to narrow the principals.',
        path,
      );
    }
    return;
  }
  if (node.kind === 'string') {
    if (node.value !== '*')
      sink.report(
        'ERROR',
        'INVALID_PRINCIPAL_FORMAT',
        `The ${entry.key} element must be "*" or an object with the keys AWS, Service, Federated or CanonicalUser.`,
        path,
      );
    return;
  }
  if (node.kind !== 'object') {
    sink.report(
      'ERROR',
      'INVALID_PRINCIPAL_FORMAT',
      `The ${entry.key} element must be "*" or an object, not ${describeNode(node)}.`,
      path,
    );
    return;
  }
  if (node.entries.length === 0) {
    sink.report(
      'SUGGESTION',
      'EMPTY_OBJECT_PRINCIPAL',
      'This statement includes no principals and does not affect the policy. Specify principals.',
      path,
    );
    return;
  }
  const seen = new Set<string>();
  for (const member of node.entries) {
    const memberPath = [...path, member.key];
    if (seen.has(member.key)) {
      sink.report(
        'ERROR',
        'DUPLICATE_ELEMENT',
        `The principal key ${member.key} appears more than once. Merge the values into one list.`,
        memberPath,
      );
      continue;
    }
    seen.add(member.key);
    if (!PRINCIPAL_KEYS.includes(member.key)) {
      const suggestion = closestMatch(member.key, PRINCIPAL_KEYS);
      sink.report(
        'ERROR',
        'INVALID_PRINCIPAL_KEY',
        `The principal key ${member.key} is not valid. Use AWS, Service, Federated or CanonicalUser.${suggestion === undefined ? '' : ` Did you mean ${suggestion}?`}`,
        memberPath,
      );
      continue;
    }
    const values = stringList(sink, member, memberPath) ?? [];
    if (member.value.kind === 'array' && member.value.items.length === 0) {
      sink.report(
        'SUGGESTION',
        'EMPTY_ARRAY_PRINCIPAL',
        'This statement includes no principals and does not affect the policy. Specify principals.',
        memberPath,
      );
    }
    for (const { value, path: valuePath } of values) checkPrincipalValue(sink, member.key, value, valuePath);
  }
}

function checkPrincipalValue(sink: FindingSink, key: string, value: string, path: Path): void {
  if (key === 'AWS') {
    if (value === '*' || /^\d{12}$/.test(value)) return;
    if (/^AIDA[A-Z0-9]+$/.test(value)) {
      sink.report(
        'WARNING',
        'INVALID_USER_REFERENCE',
        `The Principal element includes the IAM user ID ${value}. We recommend that you use a user ARN instead.`,
        path,
      );
    } else if (/^AROA[A-Z0-9]+$/.test(value)) {
      sink.report(
        'WARNING',
        'INVALID_ROLE_REFERENCE',
        `The Principal element includes the IAM role ID ${value}. We recommend that you use a role ARN instead.`,
        path,
      );
    } else if (hasWildcard(value)) {
      sink.report(
        'ERROR',
        'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
        `Wildcards (*, ?) are not supported with the principal key AWS. Replace the wildcard in ${value} with a valid principal value, or use "*" with the aws:PrincipalArn condition key.`,
        path,
      );
    } else if (!AWS_PRINCIPAL.test(value)) {
      sink.report(
        'ERROR',
        'INVALID_PRINCIPAL_FORMAT',
        `The AWS principal ${value} is not valid. Use an account ID, an account root ARN, or a user, role, assumed-role or federated-user ARN.`,
        path,
      );
    }
  } else if (key === 'Service') {
    if (value === '*') return;
    if (hasWildcard(value)) {
      sink.report(
        'ERROR',
        'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
        `Wildcards (*, ?) are not supported with the principal key Service. Replace the wildcard in ${value} with a service principal.`,
        path,
      );
    } else if (!SERVICE_PRINCIPAL.test(value)) {
      sink.report(
        'ERROR',
        'INVALID_SERVICE_PRINCIPAL_FORMAT',
        `The service principal ${value} is not valid. Use the service's principal name, for example billing.amazonaws.com.`,
        path,
      );
    }
  } else if (value === '') {
    sink.report('ERROR', 'INVALID_PRINCIPAL_FORMAT', `The ${key} principal must not be empty.`, path);
  }
}
