/**
 * Policy document validation in the shape and spirit of IAM Access Analyzer's ValidatePolicy: findings
 * (ERROR / SECURITY_WARNING / WARNING / SUGGESTION) with Access Analyzer's issue codes where it has one.
 * Pure: the action/condition-key catalog arrives as an argument (a data interface), never read here.
 * Never throws and runs in time linear in the document (wildcard checks are bounded), whatever the input.
 */
import type { FindingType } from '../contracts/console.js';
import { checkCondition } from './validate-condition.js';
import { describeNode, FindingSink, stringList, type Path } from './validate-sink.js';
import type { JsonEntry, JsonNode } from './validate-json.js';
import { readJson } from './validate-json.js';
import { closestMatch, hasWildcard, wildcardMatch } from './validate-text.js';
import { checkAction } from './validate-action.js';
import { checkPrincipal } from './validate-principal.js';
import { checkRedundantStatements, checkRedundantValues, type StatementAt } from './validate-redundancy.js';
import { checkResource } from './validate-resource.js';
import { POLICY_SIZE_LIMITS, policySize } from './validate-size.js';

/** Where a policy document is used; decides Principal rules and size limits. `trust` is a role trust policy. */
export type PolicyKind =
  'managed' | 'inline-user' | 'inline-group' | 'inline-role' | 'resource' | 'scp' | 'rcp' | 'trust';

export const POLICY_KINDS: readonly PolicyKind[] = [
  'managed',
  'inline-user',
  'inline-group',
  'inline-role',
  'resource',
  'scp',
  'rcp',
  'trust',
];

/** The engine reports the console's kinds of finding (one declaration, in src/contracts). */
export type { FindingType };

/** One validation finding. `path` points into the document (`['Statement', 0, 'Action', 1]`); `[]` is the whole document. */
export interface Finding {
  findingType: FindingType;
  issueCode: string;
  findingDetails: string;
  path: (string | number)[];
  learnMoreLink?: string;
}

/** How an IAM condition key's values are typed (the Service Authorization Reference's types). */
export type ConditionKeyType =
  | 'String'
  | 'ArrayOfString'
  | 'Numeric'
  | 'ArrayOfNumeric'
  | 'Date'
  | 'ArrayOfDate'
  | 'Bool'
  | 'ArrayOfBool'
  | 'IPAddress'
  | 'ArrayOfIPAddress'
  | 'ARN'
  | 'ArrayOfARN'
  | 'Binary'
  | 'ArrayOfBinary';

/** What the validator needs to know about AWS's services: a synchronous, read-only view (see src/catalog). */
export interface CatalogView {
  hasService(prefix: string): boolean;
  servicePrefixes(): readonly string[];
  /** Canonical action names of a service (`ViewBilling`…), empty when the service is unknown. */
  serviceActionNames(prefix: string): readonly string[];
  /** Canonical spelling of an action (`aws-portal:ViewBilling`), or undefined when unknown. Case-insensitive. */
  findAction(action: string): string | undefined;
  /** Concrete actions a wildcard action pattern matches (case-insensitive); empty when none. */
  expandAction(pattern: string): string[];
  /** The types a condition key takes, or undefined when unknown. Handles `aws:PrincipalTag/…`-style keys. */
  conditionKeyTypes(key: string): readonly ConditionKeyType[] | undefined;
  /** All known global (`aws:`) condition keys, for "did you mean" suggestions. */
  globalConditionKeys(): readonly string[];
  /** ARN formats of the service's resource types (`arn:${Partition}:iam::${Account}:role/…`), undefined when unknown. */
  resourceArnFormats(prefix: string): readonly string[] | undefined;
}

const IDENTITY_KINDS = new Set<PolicyKind>(['managed', 'inline-user', 'inline-group', 'inline-role']);
/** Policies stored by IAM itself, where statement IDs must be alphanumeric and unique. */
const IAM_STORED_KINDS = new Set<PolicyKind>([...IDENTITY_KINDS, 'trust']);
const PRINCIPAL_REQUIRED_KINDS = new Set<PolicyKind>(['resource', 'trust', 'rcp']);

/** The policy grammar's element names (IAM JSON policy elements), shared with IAM's own acceptance check. */
export const TOP_ELEMENTS = ['Version', 'Id', 'Statement'];
export const STATEMENT_ELEMENTS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];
const VERSIONS = ['2012-10-17', '2008-10-17'];
/** AWS's partitions, as ARNs name them. */
interface StatementFacts {
  effect: 'Allow' | 'Deny' | undefined;
  members: Map<string, JsonEntry>;
  path: Path;
}

/**
 * Validates a policy document (JSON text, or an already-parsed value) for the given kind.
 * Without a catalog, checks that need to know AWS's services (unknown actions, condition keys) are skipped.
 */
export function validatePolicy(json: string | unknown, kind: PolicyKind, catalog?: CatalogView): Finding[] {
  const sink = new FindingSink();
  try {
    validateInto(sink, json, kind, catalog);
  } catch (error) {
    // A bug here must not take a request down; the robustness property test asserts this never happens.
    sink.report('ERROR', 'VALIDATOR_INTERNAL_ERROR', `The validator failed: ${String(error)}`, []);
  }
  return sink.findings;
}

function toText(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  try {
    return JSON.stringify(json);
  } catch {
    return undefined; // cycles, BigInt
  }
}

/** Wildcard expansions a single document may ask of the catalog; beyond it, wildcard actions go unchecked. */
const EXPANSION_BUDGET = 100;

/** The catalog with a per-document budget on wildcard expansion, which is the one costly lookup. */
function budgeted(catalog: CatalogView): CatalogView {
  let left = EXPANSION_BUDGET;
  return {
    hasService: (prefix) => catalog.hasService(prefix),
    servicePrefixes: () => catalog.servicePrefixes(),
    serviceActionNames: (prefix) => catalog.serviceActionNames(prefix),
    findAction: (action) => catalog.findAction(action),
    // Out of budget, answer as if the pattern matched, so that nothing false is reported.
    expandAction: (pattern) => (left-- > 0 ? catalog.expandAction(pattern) : [pattern]),
    conditionKeyTypes: (key) => catalog.conditionKeyTypes(key),
    globalConditionKeys: () => catalog.globalConditionKeys(),
    resourceArnFormats: (prefix) => catalog.resourceArnFormats(prefix),
  };
}

function validateInto(sink: FindingSink, json: unknown, kind: PolicyKind, fullCatalog: CatalogView | undefined): void {
  const catalog = fullCatalog === undefined ? undefined : budgeted(fullCatalog);
  const text = toText(json);
  if (text === undefined) {
    sink.report('ERROR', 'JSON_SYNTAX_ERROR', 'The policy document is not representable as JSON.', []);
    return;
  }
  const parsed = readJson(text);
  if (!parsed.ok) {
    sink.report(
      'ERROR',
      'JSON_SYNTAX_ERROR',
      `Fix the JSON syntax error at index ${parsed.offset} line ${parsed.line} column ${parsed.column}: ${parsed.message}.`,
      [],
    );
    return;
  }
  const limit = POLICY_SIZE_LIMITS[kind];
  if (limit !== undefined) {
    const size = policySize(text, kind);
    if (size > limit.max) {
      const counted = limit.countsWhitespace ? '' : ', excluding whitespace,';
      sink.report(
        'ERROR',
        limit.issueCode,
        `The ${size} characters in the ${limit.label}${counted} exceed the ${limit.max} character maximum. We recommend that you use multiple granular policies.`,
        [],
      );
    }
  }
  const root = parsed.node;
  if (root.kind !== 'object') {
    sink.report(
      'ERROR',
      'DATA_TYPE_MISMATCH',
      `A policy document must be a JSON object, not ${describeNode(root)}.`,
      [],
    );
    return;
  }
  const top = members(sink, root, [], TOP_ELEMENTS);
  const version = checkVersion(sink, top.get('Version'));
  const id = top.get('Id');
  if (id !== undefined && id.value.kind !== 'string') {
    sink.report('ERROR', 'DATA_TYPE_MISMATCH', `The Id element must be a string, not ${describeNode(id.value)}.`, [
      'Id',
    ]);
  }
  const statementEntry = top.get('Statement');
  if (statementEntry === undefined) {
    sink.report('ERROR', 'MISSING_STATEMENT', 'Add a statement to the policy.', []);
    return;
  }
  const statements: StatementAt[] = [];
  if (statementEntry.value.kind === 'array') {
    statementEntry.value.items.forEach((node, index) => statements.push({ node, path: ['Statement', index] }));
    if (statements.length === 0)
      sink.report('ERROR', 'MISSING_STATEMENT', 'The Statement list is empty. Add a statement to the policy.', [
        'Statement',
      ]);
  } else if (statementEntry.value.kind === 'object') {
    statements.push({ node: statementEntry.value, path: ['Statement'] });
  } else {
    sink.report(
      'ERROR',
      'DATA_TYPE_MISMATCH',
      `The Statement element must be an object or an array of objects, not ${describeNode(statementEntry.value)}.`,
      ['Statement'],
    );
    return;
  }

  const variablesEnabled = version === '2012-10-17';
  const facts: StatementFacts[] = [];
  for (const statement of statements) {
    const fact = checkStatement(sink, statement, kind, catalog, variablesEnabled);
    if (fact !== undefined) facts.push(fact);
  }
  checkSids(sink, facts, kind);
  checkRedundantStatements(sink, statements);
}

/** An object's members by name, reporting duplicated and unknown ones. */
function members(
  sink: FindingSink,
  node: JsonNode & { kind: 'object' },
  path: Path,
  allowed: readonly string[],
): Map<string, JsonEntry> {
  const found = new Map<string, JsonEntry>();
  for (const entry of node.entries) {
    if (found.has(entry.key)) {
      sink.report(
        'ERROR',
        'DUPLICATE_ELEMENT',
        `The element ${entry.key} appears more than once; IAM would keep only one of them. Remove the duplicate.`,
        [...path, entry.key],
      );
      continue;
    }
    if (!allowed.includes(entry.key)) {
      const suggestion = closestMatch(entry.key, allowed);
      const hint = suggestion === undefined ? '' : ` Did you mean ${suggestion}?`;
      sink.report('ERROR', 'INVALID_POLICY_ELEMENT', `The element ${entry.key} in the policy is invalid.${hint}`, [
        ...path,
        entry.key,
      ]);
      continue;
    }
    found.set(entry.key, entry);
  }
  return found;
}

function checkVersion(sink: FindingSink, entry: JsonEntry | undefined): string | undefined {
  if (entry === undefined) {
    sink.report(
      'WARNING',
      'MISSING_VERSION',
      'We recommend that you specify the Version element to help you with debugging permission issues. Without it, policy variables such as ${aws:username} are not recognised.',
      [],
    );
    return undefined;
  }
  if (entry.value.kind !== 'string' || !VERSIONS.includes(entry.value.value)) {
    const shown = entry.value.kind === 'string' ? entry.value.value : describeNode(entry.value);
    sink.report(
      'ERROR',
      'INVALID_VERSION',
      `The version ${shown} is not valid. Use one of the following versions: 2012-10-17, 2008-10-17.`,
      ['Version'],
    );
    return undefined;
  }
  return entry.value.value;
}

function checkStatement(
  sink: FindingSink,
  statement: StatementAt,
  kind: PolicyKind,
  catalog: CatalogView | undefined,
  variablesEnabled: boolean,
): StatementFacts | undefined {
  const { node, path } = statement;
  if (node.kind !== 'object') {
    sink.report('ERROR', 'DATA_TYPE_MISMATCH', `A statement must be a JSON object, not ${describeNode(node)}.`, path);
    return undefined;
  }
  const m = members(sink, node, path, STATEMENT_ELEMENTS);
  const at = (key: string): Path => [...path, key];

  const effect = checkEffect(sink, m.get('Effect'), path);

  for (const [a, b] of [
    ['Action', 'NotAction'],
    ['Resource', 'NotResource'],
    ['Principal', 'NotPrincipal'],
  ] as const) {
    if (m.has(a) && m.has(b)) {
      sink.report(
        'ERROR',
        'UNSUPPORTED_ELEMENT_COMBINATION',
        `The policy elements ${a} and ${b} can not be used in the same statement. Remove one of these elements.`,
        at(b),
      );
    }
  }

  // Principal rules depend on where the policy is attached.
  const principalKey = m.has('Principal') ? 'Principal' : m.has('NotPrincipal') ? 'NotPrincipal' : undefined;
  if (principalKey !== undefined && IDENTITY_KINDS.has(kind)) {
    sink.report(
      'ERROR',
      'UNSUPPORTED_PRINCIPAL',
      `The policy type IDENTITY_POLICY does not support the ${principalKey} element. Remove the ${principalKey} element.`,
      at(principalKey),
    );
  } else if (principalKey !== undefined && kind === 'scp') {
    sink.report(
      'ERROR',
      'SCP_SYNTAX_ERROR_PRINCIPAL',
      'SCPs do not support specifying principals. Remove the Principal or NotPrincipal element.',
      at(principalKey),
    );
  } else if (principalKey === undefined && PRINCIPAL_REQUIRED_KINDS.has(kind)) {
    sink.report(
      'ERROR',
      'MISSING_PRINCIPAL',
      `${kind === 'trust' ? 'Role trust policies' : 'Resource-based policies'} must include the Principal or NotPrincipal element.`,
      path,
    );
  } else if (principalKey !== undefined) {
    const entry = m.get(principalKey);
    if (entry !== undefined) checkPrincipal(sink, entry, at(principalKey), kind);
    if (principalKey === 'NotPrincipal' && effect === 'Allow') {
      sink.report(
        'SECURITY_WARNING',
        'ALLOW_WITH_NOT_PRINCIPAL',
        'Using Allow with NotPrincipal can be overly permissive. We recommend that you use Principal instead.',
        at('NotPrincipal'),
      );
    }
  }

  // Actions.
  const actionKey = m.has('Action') ? 'Action' : m.has('NotAction') ? 'NotAction' : undefined;
  let actions: { value: string; path: Path }[] = [];
  if (actionKey === undefined) {
    sink.report('ERROR', 'MISSING_ACTION', 'Add an Action or NotAction element to the policy statement.', path);
  } else {
    const entry = m.get(actionKey);
    actions = (entry && stringList(sink, entry, at(actionKey))) ?? [];
    if (entry?.value.kind === 'array' && entry.value.items.length === 0) {
      sink.report(
        'ERROR',
        'MISSING_ACTION',
        `The ${actionKey} list is empty: this statement includes no actions. Specify actions.`,
        at(actionKey),
      );
    }
    for (const action of actions) checkAction(sink, action.value, action.path, catalog);
    checkRedundantValues(sink, actions, 'REDUNDANT_ACTION', 'action');
    if (actionKey === 'NotAction' && effect === 'Allow') {
      sink.report(
        'SECURITY_WARNING',
        'ALLOW_WITH_NOT_ACTION',
        'Using Allow with NotAction can be overly permissive: it allows every action not listed, including actions of services added later. We recommend that you list the allowed actions in Action instead.',
        at('NotAction'),
      );
    }
  }

  // Resources. Role trust policies name no resource: the role is the resource.
  const resourceKey = m.has('Resource') ? 'Resource' : m.has('NotResource') ? 'NotResource' : undefined;
  let resources: { value: string; path: Path }[] = [];
  if (kind === 'trust') {
    if (resourceKey !== undefined) {
      sink.report(
        'ERROR',
        'UNSUPPORTED_RESOURCE_IN_TRUST_POLICY',
        `A role trust policy must not contain the ${resourceKey} element: the role itself is the resource. Remove the ${resourceKey} element.`,
        at(resourceKey),
      );
    }
  } else if (resourceKey === undefined) {
    sink.report('ERROR', 'MISSING_RESOURCE', 'Add a Resource or NotResource element to the policy statement.', path);
  } else {
    const entry = m.get(resourceKey);
    resources = (entry && stringList(sink, entry, at(resourceKey))) ?? [];
    if (entry?.value.kind === 'array' && entry.value.items.length === 0) {
      sink.report(
        'ERROR',
        'MISSING_RESOURCE',
        `The ${resourceKey} list is empty: this statement includes no resources. Specify resources.`,
        at(resourceKey),
      );
    }
    for (const resource of resources) checkResource(sink, resource.value, resource.path, catalog, variablesEnabled);
    checkRedundantValues(sink, resources, 'REDUNDANT_RESOURCE', 'resource');
    if (resourceKey === 'NotResource' && effect === 'Allow') {
      sink.report(
        'SECURITY_WARNING',
        'ALLOW_WITH_NOT_RESOURCE',
        'Using Allow with NotResource can be overly permissive: it allows every resource not listed. We recommend that you list the allowed resources in Resource instead.',
        at('NotResource'),
      );
    }
  }

  const condition = m.get('Condition');
  const conditionKeys =
    condition === undefined
      ? []
      : checkCondition(sink, condition.value, at('Condition'), catalog, variablesEnabled, effect);

  if (effect === 'Allow' && actionKey !== undefined && resourceKey !== undefined && IDENTITY_KINDS.has(kind)) {
    checkPassRole(sink, actionKey, actions, resourceKey, resources, conditionKeys, path);
  }
  return { effect, members: m, path };
}

function checkEffect(sink: FindingSink, entry: JsonEntry | undefined, path: Path): 'Allow' | 'Deny' | undefined {
  if (entry === undefined) {
    sink.report(
      'ERROR',
      'MISSING_EFFECT',
      'Add an Effect element to the policy statement with a value of Allow or Deny.',
      path,
    );
    return undefined;
  }
  const value = entry.value;
  if (value.kind === 'string' && (value.value === 'Allow' || value.value === 'Deny')) return value.value;
  const shown = value.kind === 'string' ? value.value : describeNode(value);
  const suggestion = value.kind === 'string' ? closestMatch(value.value, ['Allow', 'Deny']) : undefined;
  const hint = suggestion === undefined ? '' : ` Did you mean ${suggestion}?`;
  sink.report(
    'ERROR',
    'INVALID_EFFECT',
    `The Effect element value ${shown} is not valid. Use Allow or Deny (the case matters).${hint}`,
    [...path, 'Effect'],
  );
  return undefined;
}

function checkPassRole(
  sink: FindingSink,
  actionKey: string,
  actions: { value: string }[],
  resourceKey: string,
  resources: { value: string }[],
  conditionKeys: readonly string[],
  path: Path,
): void {
  if (conditionKeys.some((k) => k.toLowerCase() === 'iam:passedtoservice')) return;
  const grantsPassRole =
    actionKey === 'Action'
      ? actions.some((a) => wildcardMatch(a.value, 'iam:PassRole'))
      : !actions.some((a) => wildcardMatch(a.value, 'iam:PassRole'));
  if (!grantsPassRole) return;
  const starAction = actionKey === 'NotAction' || actions.some((a) => hasWildcard(a.value));
  if (resourceKey === 'NotResource') {
    sink.report(
      'SECURITY_WARNING',
      'PASS_ROLE_WITH_NOT_RESOURCE',
      'Using the iam:PassRole action with NotResource can be overly permissive because it can allow iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs instead.',
      [...path, 'NotResource'],
    );
    return;
  }
  const allRoles = resources.some((r) => r.value === '*' || /^arn:[^:]*:iam::[^:]*:(\*|role\/\*)$/.test(r.value));
  if (!allRoles) return;
  const issueCode =
    actionKey === 'NotAction'
      ? 'PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION'
      : starAction
        ? 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE'
        : 'PASS_ROLE_WITH_STAR_IN_RESOURCE';
  sink.report(
    'SECURITY_WARNING',
    issueCode,
    'Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.',
    [...path, 'Resource'],
  );
}

const SID = /^[A-Za-z0-9]*$/;

function checkSids(sink: FindingSink, facts: StatementFacts[], kind: PolicyKind): void {
  const seen = new Set<string>();
  for (const fact of facts) {
    const entry = fact.members.get('Sid');
    if (entry === undefined) continue;
    const path = [...fact.path, 'Sid'];
    if (entry.value.kind !== 'string') {
      sink.report(
        'ERROR',
        'DATA_TYPE_MISMATCH',
        `The Sid element must be a string, not ${describeNode(entry.value)}.`,
        path,
      );
      continue;
    }
    const sid = entry.value.value;
    if (sid === '') {
      sink.report('SUGGESTION', 'EMPTY_SID_VALUE', 'Add a value to the empty string in the Sid element.', path);
      continue;
    }
    if (IAM_STORED_KINDS.has(kind) && !SID.test(sid)) {
      sink.report(
        'ERROR',
        'UNSUPPORTED_SID',
        'Update the characters in the Sid element to use one of the following character types: [a-z, A-Z, 0-9]',
        path,
      );
    }
    if (seen.has(sid)) {
      if (IAM_STORED_KINDS.has(kind))
        sink.report(
          'ERROR',
          'UNIQUE_SIDS_REQUIRED',
          `Duplicate statement IDs are not supported for this policy type: ${sid} is used more than once. Update the Sid value.`,
          path,
        );
      else
        sink.report(
          'WARNING',
          'UNIQUE_SIDS_RECOMMENDED',
          `We recommend that you use statement IDs that are unique to your policy: ${sid} is used more than once. Update the Sid value.`,
          path,
        );
    }
    seen.add(sid);
  }
}
