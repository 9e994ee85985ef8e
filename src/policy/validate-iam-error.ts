/**
 * What IAM's API answers when it refuses a policy document (CreatePolicy, CreatePolicyVersion,
 * Put{User,Group,Role}Policy, CreateRole's AssumeRolePolicyDocument, UpdateAssumeRolePolicy): IAM's own
 * acceptance check, in IAM's order of checks and with its words. It is not Access Analyzer's: IAM stores
 * documents Access Analyzer flags (unknown actions, condition keys without a vendor, short resource ARNs,
 * empty condition blocks) and refuses some it passes (a Version other than 2012-10-17 in an identity policy,
 * a date it cannot parse, a region in an IAM or S3 ARN). The console's findings stay validate.ts's.
 *
 * The rules and messages are AWS's as observed (each is a case, with its source, in
 * validate-iam-error.test.ts). IAM stops at the first failing stage:
 *   JSON → size quota → grammar ("Syntax errors in policy.") → Version → legacy parsing (exact Effect,
 *   Date values, ARN shape) → Sids → actions present → the resource format error → action vendors → then,
 *   for an identity policy, no Principal and resources present; for a trust policy, STS actions only, no
 *   Resource, a Principal in every statement and valid principals.
 */
import { OPERATORS, parseOperatorName } from './condition/index.js';
import { STATEMENT_ELEMENTS, TOP_ELEMENTS, type PolicyKind } from './validate.js';
import { AWS_PRINCIPAL, PRINCIPAL_KEYS, SERVICE_PRINCIPAL } from './validate-principal.js';
import { PARTITIONS } from './validate-resource.js';
import { POLICY_SIZE_LIMITS, policySize } from './validate-size.js';

export interface IamPolicyError {
  code: 'MalformedPolicyDocument' | 'LimitExceeded';
  message: string;
}

/** The documents IAM itself stores. A permissions boundary is a managed policy: its document is `managed`. */
export type IamPolicyKind = Extract<PolicyKind, 'managed' | 'inline-user' | 'inline-group' | 'inline-role' | 'trust'>;

type Json = Record<string, unknown>;

const SYNTAX = 'Syntax errors in policy.';
const LEGACY = 'The policy failed legacy parsing';

const malformed = (message: string): IamPolicyError => ({ code: 'MalformedPolicyDocument', message });

/** Thrown inside a stage; the stage's caller turns it into that stage's message. */
class StageFailure {}
const fail = (): never => {
  throw new StageFailure();
};
function passes(stage: () => void): boolean {
  try {
    stage();
    return true;
  } catch (error) {
    if (error instanceof StageFailure) return false;
    throw error;
  }
}

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const TOP_ELEMENT_NAMES = new Set(TOP_ELEMENTS);
const STATEMENT_ELEMENT_NAMES = new Set(STATEMENT_ELEMENTS);
const PRINCIPAL_KEY_NAMES = new Set(PRINCIPAL_KEYS);
/** IAM's operator names, case-sensitive as IAM reads them. */
const OPERATOR_NAMES = new Set(OPERATORS.map((operator) => operator.name));

/** An operator name without its set qualifier and IfExists suffix, each stripped once, as IAM reads it. */
function baseOperator(name: string): string {
  let rest = name;
  for (const qualifier of ['ForAnyValue:', 'ForAllValues:']) {
    if (rest.startsWith(qualifier)) {
      rest = rest.slice(qualifier.length);
      break;
    }
  }
  return rest.endsWith('IfExists') ? rest.slice(0, -'IfExists'.length) : rest;
}

/** IAM's operator names are case-sensitive; the engine must also be able to evaluate the operator. */
const knownOperator = (name: string): boolean =>
  OPERATOR_NAMES.has(baseOperator(name)) && parseOperatorName(name) !== undefined;

/** A string or an array of strings. IAM reads `null` in a Resource list as no entry. */
function isStringList(value: unknown, allowNull = false): boolean {
  if (typeof value === 'string') return true;
  return Array.isArray(value) && value.every((v) => typeof v === 'string' || (allowNull && v === null));
}

const isScalar = (value: unknown): boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** The element's strings (nulls dropped); undefined when the element is absent. */
function strings(statement: Json, element: string): string[] | undefined {
  const value = statement[element];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  return (value as unknown[]).filter((v): v is string => typeof v === 'string');
}

/** Whether the element is present with at least one string (an empty list names nothing). */
const namesAny = (statement: Json, element: string): boolean => (strings(statement, element) ?? []).length > 0;

function checkPrincipalSyntax(value: unknown): void {
  if (value === '*') return;
  if (!isRecord(value)) fail();
  for (const [key, entries] of Object.entries(value as Json)) {
    if (!PRINCIPAL_KEY_NAMES.has(key) || !isStringList(entries)) fail();
  }
}

function checkConditionSyntax(condition: unknown): void {
  if (!isRecord(condition)) fail();
  for (const [operator, block] of Object.entries(condition as Json)) {
    if (!isRecord(block)) fail();
    for (const values of Object.values(block as Json)) {
      if (!isScalar(values) && !(Array.isArray(values) && values.every(isScalar))) fail();
    }
    // IAM ignores an operator it does not know only when its block is empty.
    if (!knownOperator(operator) && Object.keys(block as Json).length > 0) fail();
  }
}

function checkStatementSyntax(statement: unknown): void {
  if (!isRecord(statement)) fail();
  const s = statement as Json;
  for (const key of Object.keys(s)) if (!STATEMENT_ELEMENT_NAMES.has(key)) fail();
  for (const [a, b] of [
    ['Action', 'NotAction'],
    ['Resource', 'NotResource'],
    ['Principal', 'NotPrincipal'],
  ] as const) {
    if (a in s && b in s) fail();
  }
  // The grammar takes Allow and Deny in any case; legacy parsing then wants the exact spelling.
  if (typeof s.Effect !== 'string' || !['allow', 'deny'].includes(s.Effect.toLowerCase())) fail();
  for (const element of ['Action', 'NotAction']) if (element in s && !isStringList(s[element])) fail();
  for (const element of ['Resource', 'NotResource']) if (element in s && !isStringList(s[element], true)) fail();
  for (const element of ['Principal', 'NotPrincipal']) if (element in s) checkPrincipalSyntax(s[element]);
  if ('Condition' in s) checkConditionSyntax(s.Condition);
  if ('Sid' in s && typeof s.Sid !== 'string') fail();
}

/** The document's statements when its grammar is right. */
function grammar(document: unknown): Json[] {
  if (!isRecord(document)) return fail();
  for (const key of Object.keys(document)) if (!TOP_ELEMENT_NAMES.has(key)) fail();
  if ('Version' in document && document.Version !== '2012-10-17' && document.Version !== '2008-10-17') fail();
  if ('Id' in document && typeof document.Id !== 'string') fail();
  const raw = document.Statement;
  if (!isRecord(raw) && !Array.isArray(raw)) return fail();
  const statements: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (statements.length === 0) fail();
  statements.forEach(checkStatementSyntax);
  return statements as Json[];
}

// ---- Legacy parsing: dates --------------------------------------------------------------------------

const DIGITS = /^\d+$/;
const inRange = (text: string | undefined, low: number, high: number): boolean =>
  text !== undefined && DIGITS.test(text) && Number(text) >= low && Number(text) <= high;

/** A time-zone offset after the seconds: `+hh` or `+hh:mm` (and the `-` form). */
function checkZone(zone: string): void {
  const [hours, minutes, ...rest] = zone.split(':');
  if (rest.length > 0 || hours?.length !== 2 || !inRange(hours, 0, 23)) fail();
  if (minutes !== undefined && (minutes.length !== 2 || !inRange(minutes, 0, 59))) fail();
}

function checkSeconds(field: string): void {
  let seconds = field;
  const z = field.indexOf('z');
  const sign = Math.max(field.indexOf('+'), field.indexOf('-'));
  if (z >= 0) {
    if (z !== field.length - 1) fail();
    seconds = field.slice(0, z);
  } else if (sign >= 0) {
    seconds = field.slice(0, sign);
    checkZone(field.slice(sign + 1));
  }
  const [whole, fraction] = seconds.split('.', 2);
  if (!inRange(whole, 0, 59)) fail();
  if (seconds.includes('.') && !inRange(fraction, 0, 999_999_999)) fail();
}

/** ISO 8601 as IAM's legacy parser reads it (lower-cased): [-]year[-month[-day]][t[hh][:mm[:ss[.f][zone]]]]. */
function checkIsoDate(value: string): void {
  const t = value.indexOf('t');
  const datePart = t < 0 ? value : value.slice(0, t);
  const timePart = t < 0 ? '' : value.slice(t + 1);
  const negative = datePart.startsWith('-');
  const [year, month, day, ...extra] = (negative ? datePart.slice(1) : datePart).split('-');
  if (extra.length > 0 || !inRange(year, 0, negative ? 292_275_054 : 292_278_993)) fail();
  if (month !== undefined && !inRange(month, 1, 12)) fail();
  if (day !== undefined && !inRange(day, 1, 31)) fail();
  const [hours, minutes, seconds, ...more] = timePart.split(':');
  if (hours !== '' && !inRange(hours, 0, 23)) fail();
  if (minutes !== undefined && !inRange(minutes, 0, 59)) fail();
  // A `+hh:mm` offset adds one more colon-separated field after the seconds.
  if (seconds !== undefined) checkSeconds(more.length > 0 ? `${seconds}:${more.join(':')}` : seconds);
}

/** A Date condition value: an ISO 8601 date-time, or epoch seconds that fit a signed 64-bit integer. */
function checkDateValue(value: string): void {
  if (value.includes('${')) return; // resolved per request
  const lower = value.toLowerCase();
  if (lower.includes('t') || lower.includes('-')) checkIsoDate(lower);
  else if (!DIGITS.test(value) || BigInt(value) > 9_223_372_036_854_775_807n) fail();
}

function legacyParseStatement(statement: Json): void {
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') fail();
  for (const [operator, block] of Object.entries((statement.Condition ?? {}) as Json)) {
    if (!baseOperator(operator).startsWith('Date')) continue;
    for (const values of Object.values(block as Json)) {
      for (const value of Array.isArray(values) ? values : [values]) checkDateValue(String(value));
    }
  }
}

// ---- Resources ----------------------------------------------------------------------------------------
const IAM_RESOURCE_PATHS = [
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
];
const REGION_MESSAGE: Record<string, (resource: string) => string> = {
  iam: (resource) => `IAM resource ${resource} cannot contain region information.`,
  s3: (resource) => `Resource ${resource} can not contain region information.`,
};

/**
 * The ARN with each policy variable read as `*`: a variable stands for a value (`${aws:PrincipalAccount}`
 * for an account), and the colon inside its name separates no ARN field.
 */
const withoutVariables = (resource: string): string => resource.replace(/\$\{[^}]*\}/g, '*');

const validPartition = (partition: string): boolean =>
  PARTITIONS.includes(partition) || partition.includes('*') || partition.includes('?');

/**
 * The format error IAM reports for one Resource entry, or undefined. IAM reads any text with a colon as
 * an ARN (the first field is not checked) and fills missing fields with `*`, which its message shows.
 */
function resourceFormatError(resource: string): string | undefined {
  if (resource === '*') return undefined;
  const fields = withoutVariables(resource).split(':');
  if (fields.length === 1) return `Resource ${resource} must be in ARN format or "*".`;
  const [, partition = '', ...rest] = fields;
  if (!validPartition(partition)) {
    const field = (i: number): string => rest[i] ?? '*';
    const first = rest.length === 1 && rest[0] === '' ? '*' : field(0);
    const last = rest.length > 3 ? rest.slice(3).join(':') : '*';
    return `Partition "${partition}" is not valid for resource "arn:${partition}:${first}:${field(1)}:${field(2)}:${last}".`;
  }
  if (fields.length === 2) return 'Resource vendor must be fully qualified and cannot contain regexes.';
  const [service = '', region] = rest;
  const path = fields.slice(5).join(':');
  const regionMessage = REGION_MESSAGE[service];
  // S3 access points are regional: their ARNs carry one.
  const regional = service === 's3' && path.startsWith('accesspoint/');
  if (regionMessage !== undefined && region !== undefined && region !== '' && !regional) return regionMessage(resource);
  if (service === 'iam') {
    // A wildcard in the path's first segment may stand for any allowed start.
    const firstSegment = path.split('/')[0] ?? '';
    const allowed =
      path === '*' ||
      path === 'root' ||
      IAM_RESOURCE_PATHS.some((start) => path.startsWith(start)) ||
      firstSegment.includes('*') ||
      firstSegment.includes('?') ||
      path.startsWith('${');
    if (!allowed) return `IAM resource path must either be "*", root, or start with ${IAM_RESOURCE_PATHS.join(', ')}.`;
  }
  return undefined;
}

/** IAM's legacy ARN reading: a short ARN must not skip fields with `::`, and names a service. */
function legacyParseResource(written: string): void {
  if (written === '*') return;
  const resource = withoutVariables(written);
  const colons = resource.split(':').length - 1;
  if (colons < 5 && resource.includes('::')) fail();
  if ((resource.split(':')[2] ?? '') === '') fail();
}

/**
 * Scans Resource, then NotResource, entries for format errors as IAM does: entries of a list in reverse
 * lexical order, a later error replacing an earlier one; the legacy reading of a statement's entries runs
 * only while no format error has been found. Throws (legacy failure) or returns the format error.
 */
function scanResources(statements: Json[]): string | undefined {
  let error: string | undefined;
  for (const element of ['Resource', 'NotResource']) {
    for (const statement of statements) {
      const entries = strings(statement, element);
      if (entries === undefined) continue;
      for (const resource of [...entries].sort().reverse()) error = resourceFormatError(resource) ?? error;
      if (error === undefined) entries.forEach(legacyParseResource);
    }
  }
  return error;
}

// ---- Actions and principals ----------------------------------------------------------------------------

function actionError(action: string): string | undefined {
  const parts = action.split(':');
  if (parts.length === 1 && action !== '*') {
    return 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
  }
  if (parts.length > 2) return 'Actions/Condition can contain only one colon.';
  const vendor = parts[0] ?? '';
  if (vendor !== '*' && /[^a-zA-Z0-9.-]/.test(vendor)) return `Vendor ${vendor} is not valid`;
  return undefined;
}

/** An account ID, or the unique ID of a user (AIDA…) or role (AROA…), which IAM resolves ARNs to. */
const AWS_UNIQUE_ID = /^(\d{12}|A[IR]OA[A-Z0-9]{12,})$/;

function validPrincipal(key: string, value: string): boolean {
  if (value === '*') return true;
  // No wildcard may stand for part of a principal (IAM resolves each to a unique ID when it stores it).
  if (key === 'AWS') return !/[*?]/.test(value) && (AWS_UNIQUE_ID.test(value) || AWS_PRINCIPAL.test(value));
  if (key === 'Service') return SERVICE_PRINCIPAL.test(value);
  return value !== '' && !value.includes('*');
}

/** IAM names the principal type in upper case: `"SERVICE":"amazonaws.com"`, `"AWS":"arn:…"`. */
function principalError(statements: Json[]): string | undefined {
  for (const statement of statements) {
    for (const element of ['Principal', 'NotPrincipal']) {
      const principal = statement[element];
      if (!isRecord(principal)) continue;
      for (const [key, entries] of Object.entries(principal)) {
        for (const value of typeof entries === 'string' ? [entries] : (entries as string[])) {
          if (!validPrincipal(key, value)) return `Invalid principal in policy: "${key.toUpperCase()}":"${value}"`;
        }
      }
    }
  }
  return undefined;
}

// ---- The check -------------------------------------------------------------------------------------------

const IDENTITY_KINDS = new Set<IamPolicyKind>(['managed', 'inline-user', 'inline-group', 'inline-role']);
const INLINE_ENTITY: Partial<Record<IamPolicyKind, string>> = {
  'inline-user': 'user',
  'inline-group': 'group',
  'inline-role': 'role',
};
const SID = /^[0-9A-Za-z]*$/;

function sizeError(text: string, kind: IamPolicyKind, entityName: string | undefined): IamPolicyError | undefined {
  const limit = POLICY_SIZE_LIMITS[kind];
  if (limit === undefined || policySize(text, kind) <= limit.max) return undefined;
  if (kind === 'managed') return { code: 'LimitExceeded', message: `Cannot exceed quota for PolicySize: ${limit.max}` };
  if (kind === 'trust')
    return { code: 'LimitExceeded', message: `Cannot exceed quota for ACLSizePerRole: ${limit.max}` };
  return {
    code: 'LimitExceeded',
    message:
      `Maximum policy size of ${limit.max} bytes exceeded for ${INLINE_ENTITY[kind] ?? ''} ${entityName ?? ''}`.trimEnd(),
  };
}

function toText(json: unknown): string | undefined {
  try {
    return JSON.stringify(json);
  } catch {
    return undefined; // cycles, BigInt
  }
}

/**
 * The error IAM's API returns for this document, or undefined when IAM stores it.
 * `entityName` (user, group or role name) fills the inline-policy size message.
 */
export function iamPolicyDocumentError(
  json: string | unknown,
  kind: IamPolicyKind,
  entityName?: string,
): IamPolicyError | undefined {
  const identity = IDENTITY_KINDS.has(kind);
  const text = typeof json === 'string' ? json : toText(json);
  let document: unknown = json;
  if (typeof json === 'string') {
    try {
      document = JSON.parse(json) as unknown;
    } catch {
      return malformed(identity ? SYNTAX : 'This policy contains invalid Json');
    }
  }
  if (text === undefined) return malformed(SYNTAX);
  const tooBig = sizeError(text, kind, entityName);
  if (tooBig !== undefined) return tooBig;

  let statements: Json[] = [];
  if (!passes(() => (statements = grammar(document)))) return malformed(SYNTAX);
  const version = (document as Json).Version;
  // The documentation reads a missing Version as 2008-10-17, which IAM still stores in trust policies;
  // identity policies must say 2012-10-17.
  if (identity && version !== '2012-10-17') return malformed('Policy document must be version 2012-10-17 or greater.');

  let resourceError: string | undefined;
  const legacy = (): void => {
    statements.forEach(legacyParseStatement);
    resourceError = scanResources(statements);
  };
  if (!passes(legacy)) return malformed(LEGACY);

  const sids = statements.map((s) => s.Sid).filter((sid): sid is string => typeof sid === 'string' && sid !== '');
  if (sids.some((sid) => !SID.test(sid))) {
    return malformed(
      'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
    );
  }
  if (new Set(sids).size !== sids.length) return malformed('Statement IDs (SID) in a single policy must be unique.');

  if (!statements.every((s) => namesAny(s, 'Action') || namesAny(s, 'NotAction'))) {
    return malformed('Policy statement must contain actions.');
  }
  if (resourceError !== undefined) return malformed(resourceError);
  for (const element of ['Action', 'NotAction']) {
    for (const statement of statements) {
      for (const action of strings(statement, element) ?? []) {
        const error = actionError(action);
        if (error !== undefined) return malformed(error);
      }
    }
  }
  return identity ? identityPolicyError(statements) : trustPolicyError(statements);
}

const hasPrincipal = (s: Json): boolean => 'Principal' in s || 'NotPrincipal' in s;

/** The last checks of an identity policy: it names no principal, and every statement names resources. */
function identityPolicyError(statements: Json[]): IamPolicyError | undefined {
  if (statements.some(hasPrincipal)) return malformed('Policy document should not specify a principal.');
  if (!statements.every((s) => namesAny(s, 'Resource') || namesAny(s, 'NotResource'))) {
    return malformed('Policy statement must contain resources.');
  }
  return undefined;
}

/** The last checks of a role trust policy: STS actions only, no resource, a valid principal in each statement. */
function trustPolicyError(statements: Json[]): IamPolicyError | undefined {
  const actions = statements.flatMap((s) => strings(s, 'Action') ?? []);
  if (actions.some((action) => !action.toLowerCase().startsWith('sts:'))) {
    return malformed(
      'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity',
    );
  }
  const withResource = statements.find((s) => 'Resource' in s || 'NotResource' in s);
  if (withResource !== undefined) {
    return malformed(`Has prohibited field ${'Resource' in withResource ? 'Resource' : 'NotResource'}`);
  }
  if (!statements.every(hasPrincipal)) return malformed('Missing required field Principal');
  const invalidPrincipal = principalError(statements);
  return invalidPrincipal === undefined ? undefined : malformed(invalidPrincipal);
}
