/**
 * What IAM's API answers when a policy document is refused: the ERROR findings IAM itself enforces, in
 * IAM's own error codes and wording (MalformedPolicyDocument, LimitExceeded). Findings that only Access
 * Analyzer reports — an unknown action, an unknown condition key, a private aws:SourceIp range — do not
 * stop IAM from storing a policy, so they map to nothing here.
 *
 * The wording is AWS's as observed and as reproduced by AWS emulators; where AWS has several messages for
 * one problem, the most common is used.
 */
import type { Finding, PolicyKind } from './validate.js';
import { validatePolicy } from './validate.js';

export interface IamPolicyError {
  code: 'MalformedPolicyDocument' | 'LimitExceeded';
  message: string;
}

type Value = unknown;

function valueAt(document: Value, path: readonly (string | number)[]): Value {
  let node = document;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, Value>)[step];
  }
  return node;
}

function parse(json: string | unknown): Value {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json) as Value;
  } catch {
    return undefined;
  }
}

const SYNTAX = 'Syntax errors in policy.';
const VENDOR = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';

type Mapper = (
  value: Value,
  finding: Finding,
  kind: PolicyKind,
  entityName: string | undefined,
) => IamPolicyError | undefined;

const malformed = (message: string): IamPolicyError => ({ code: 'MalformedPolicyDocument', message });

const ENTITY: Partial<Record<PolicyKind, string>> = {
  'inline-user': 'user',
  'inline-group': 'group',
  'inline-role': 'role',
};

/** In the order IAM checks: JSON, size, grammar, then version, legacy parsing, Sids, actions, resources. */
const MAPPINGS: [string, Mapper][] = [
  ['JSON_SYNTAX_ERROR', () => malformed(SYNTAX)],
  [
    'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
    (_v, _f, kind, entityName) => {
      if (kind === 'managed') return { code: 'LimitExceeded', message: 'Cannot exceed quota for PolicySize: 6144' };
      const entity = ENTITY[kind];
      const max = { 'inline-user': 2048, 'inline-group': 5120, 'inline-role': 10240 }[kind as 'inline-user'];
      if (entity === undefined || max === undefined) return undefined;
      return {
        code: 'LimitExceeded',
        message: `Maximum policy size of ${max} bytes exceeded for ${entity} ${entityName ?? ''}`.trimEnd(),
      };
    },
  ],
  [
    'POLICY_SIZE_EXCEEDS_TRUST_POLICY_QUOTA',
    () => ({ code: 'LimitExceeded', message: 'Cannot exceed quota for ACLSizePerRole: 2048' }),
  ],
  ['UNSUPPORTED_PRINCIPAL', () => malformed('Policy document should not specify a principal.')],
  ['UNSUPPORTED_RESOURCE_IN_TRUST_POLICY', () => malformed('Has prohibited field Resource')],
  [
    'MISSING_PRINCIPAL',
    (_v, _f, kind) => (kind === 'trust' ? malformed('Missing required field Principal') : undefined),
  ],
  ...[
    'DATA_TYPE_MISMATCH',
    'INVALID_POLICY_ELEMENT',
    'DUPLICATE_ELEMENT',
    'MISSING_STATEMENT',
    'MISSING_EFFECT',
    'UNSUPPORTED_ELEMENT_COMBINATION',
    'INVALID_CONDITION_OPERATOR',
    'INVALID_VERSION',
    'INVALID_CONDITION_DATA_TYPE',
  ].map((code): [string, Mapper] => [code, () => malformed(SYNTAX)]),
  [
    'INVALID_EFFECT',
    // IAM's grammar accepts Allow/Deny in any case, its legacy parser only the exact spelling.
    (value) =>
      typeof value === 'string' && ['allow', 'deny'].includes(value.toLowerCase())
        ? malformed('The policy failed legacy parsing')
        : malformed(SYNTAX),
  ],
  ['VARIABLE_UNSUPPORTED_IN_VERSION', () => malformed('Policy document must be version 2012-10-17 or greater.')],
  ['UNIQUE_SIDS_REQUIRED', () => malformed('Statement IDs (SID) in a single policy must be unique.')],
  [
    'UNSUPPORTED_SID',
    () =>
      malformed(
        'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
      ),
  ],
  ['MISSING_ACTION', () => malformed('Policy statement must contain actions.')],
  ['MISSING_RESOURCE', () => malformed('Policy statement must contain resources.')],
  ['INVALID_ARN_PREFIX', (value) => malformed(`Resource ${String(value)} must be in ARN format or "*".`)],
  ['MISSING_ARN_FIELD', (value) => malformed(`Resource ${String(value)} must be in ARN format or "*".`)],
  [
    'INVALID_PARTITION',
    (value) => {
      const resource = String(value);
      return malformed(`Partition "${resource.split(':')[1] ?? ''}" is not valid for resource "${resource}".`);
    },
  ],
  [
    'ARN_REGION_NOT_ALLOWED',
    (value) => {
      const resource = String(value);
      const service = resource.split(':')[2];
      if (service === 'iam') return malformed(`IAM resource ${resource} cannot contain region information.`);
      if (service === 's3') return malformed(`Resource ${resource} can not contain region information.`);
      return undefined;
    },
  ],
  ['MISSING_SERVICE_PREFIX', () => malformed(VENDOR)],
  ['INVALID_CONDITION_KEY_FORMAT', () => malformed(VENDOR)],
  ['INVALID_ACTION_FORMAT', () => malformed('Actions/Condition can contain only one colon.')],
  ['INVALID_SERVICE_PREFIX_FORMAT', (value) => malformed(`Vendor ${String(value).split(':')[0] ?? ''} is not valid`)],
  [
    'INVALID_PRINCIPAL_FORMAT',
    (value, finding) => {
      const key = finding.path.find(
        (step) => step === 'AWS' || step === 'Service' || step === 'Federated' || step === 'CanonicalUser',
      );
      return malformed(key === undefined ? SYNTAX : `Invalid principal in policy: "${key}":"${String(value)}"`);
    },
  ],
  [
    'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
    (value, finding) =>
      malformed(
        `Invalid principal in policy: "${String(finding.path.find((s) => s === 'AWS' || s === 'Service') ?? 'AWS')}":"${String(value)}"`,
      ),
  ],
];

/**
 * The error IAM's API returns for this document, or undefined when IAM would store it.
 * `entityName` (user, group or role name) fills the inline-policy size message.
 */
export function iamPolicyDocumentError(
  json: string | unknown,
  kind: PolicyKind,
  entityName?: string,
): IamPolicyError | undefined {
  // IAM does not consult the service catalog: it stores policies naming actions it does not know.
  const errors = validatePolicy(json, kind).filter((f) => f.findingType === 'ERROR');
  return iamErrorFromFindings(json, errors, kind, entityName);
}

/** The IAM error for findings already computed (only ERROR findings matter). */
export function iamErrorFromFindings(
  json: string | unknown,
  findings: readonly Finding[],
  kind: PolicyKind,
  entityName?: string,
): IamPolicyError | undefined {
  const errors = findings.filter((f) => f.findingType === 'ERROR');
  if (errors.length === 0) return undefined;
  const document = parse(json);
  for (const [issueCode, map] of MAPPINGS) {
    for (const finding of errors) {
      if (finding.issueCode !== issueCode) continue;
      const mapped = map(valueAt(document, finding.path), finding, kind, entityName);
      if (mapped !== undefined) return mapped;
    }
  }
  return undefined;
}
