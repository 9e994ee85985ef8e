/**
 * A deliberately naive reference evaluator: AWS's documented evaluation steps written out plainly, with
 * no compilation, no indexing and no caching. It re-reads the raw documents on every call and builds a
 * regular expression for every wildcard it meets. It exists only to be compared with the fast engine
 * (test/differential); correctness here means "obviously what the AWS documentation says".
 * It assumes well-formed documents (the differential generator only makes those).
 * Shared with the engine: only the value readers for numbers, dates and IP addresses.
 */
import { parseDate } from '../condition/date.js';
import { blockContains, parseIpBlock } from '../condition/ip-address.js';
import { parseNumber } from '../condition/numeric.js';
import type { ContextValue, Decision, EvaluationCase, PolicyType } from '../types.js';
import { rcpGoverns, scpGoverns } from '../guardrail-scope.js';

export interface ReferenceResult {
  decision: Decision;
  blockedBy: PolicyType[];
}

type Json = Record<string, unknown>;
type Who = { arn: string; kind: string; account?: string; name?: string };

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function whoIs(arn: string): Who {
  if (/^\d{12}$/.test(arn)) return { arn, kind: 'root', account: arn };
  if (arn === 'anonymous') return { arn, kind: 'anonymous' };
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !/^\d{12}$/.test(parts[4] ?? '') || parts[3] !== '') {
    return { arn, kind: arn.endsWith('.amazonaws.com') && /^[a-z0-9.-]+$/.test(arn) ? 'service' : 'other' };
  }
  const account = parts[4];
  const resource = parts.slice(5).join(':');
  const pieces = resource.split('/');
  if (parts[2] === 'iam' && resource === 'root') return { arn, kind: 'root', account };
  if (parts[2] === 'iam' && pieces[0] === 'user' && pieces.length > 1)
    return { arn, kind: 'user', account, name: pieces.at(-1) };
  if (parts[2] === 'iam' && pieces[0] === 'role' && pieces.length > 1)
    return { arn, kind: 'role', account, name: pieces.at(-1) };
  if (parts[2] === 'sts' && pieces[0] === 'assumed-role' && pieces.length > 2)
    return { arn, kind: 'assumedRole', account, name: pieces[1] };
  if (parts[2] === 'sts' && pieces[0] === 'federated-user' && pieces.length > 1)
    return { arn, kind: 'federatedUser', account, name: pieces[1] };
  return { arn, kind: 'other', account };
}

class Request {
  constructor(
    readonly principal: Who,
    readonly action: string,
    readonly resource: string,
    readonly resourceAccount: string | undefined,
    readonly context: Record<string, ContextValue>,
    readonly bounded: boolean,
  ) {}

  get sameAccount(): boolean {
    return this.principal.account !== undefined && this.resourceAccount === this.principal.account;
  }

  /** The values of a key (case-insensitive), falling back to what the principal tells us. */
  get(key: string): string[] | undefined {
    // Keys differing only in case: the policy's own spelling wins, then the first in the request.
    if (Object.hasOwn(this.context, key)) return list(this.context[key]);
    for (const [k, v] of Object.entries(this.context)) if (k.toLowerCase() === key.toLowerCase()) return list(v);
    const p = this.principal;
    const derived: Record<string, string | undefined> = {
      'aws:principalarn':
        p.kind === 'assumedRole'
          ? `arn:${p.arn.split(':')[1]}:iam::${p.account}:role/${p.name}`
          : p.kind === 'service' || p.kind === 'other' || p.kind === 'anonymous'
            ? undefined
            : /^\d{12}$/.test(p.arn)
              ? `arn:aws:iam::${p.arn}:root`
              : p.arn,
      'aws:principalaccount': p.account,
      'aws:resourceaccount': this.resourceAccount,
      'aws:principaltype': {
        root: 'Account',
        user: 'User',
        role: 'AssumedRole',
        assumedRole: 'AssumedRole',
        federatedUser: 'FederatedUser',
        anonymous: 'Anonymous',
      }[p.kind],
      'aws:username': p.kind === 'user' ? p.name : undefined,
      'aws:userid': p.kind === 'root' ? p.account : p.kind === 'federatedUser' ? `${p.account}:${p.name}` : undefined,
      'aws:principalisawsservice': p.kind === 'service' ? 'true' : 'false',
      'aws:principalservicename': p.kind === 'service' ? p.arn : undefined,
    };
    const value = derived[key.toLowerCase()];
    return value === undefined ? undefined : [value];
  }
}

/**
 * Substitutes `${key}` / `${key, 'default'}` / `${*}` `${?}` `${$}`. In glob mode, characters that came
 * from a substitution are backslash-escaped so they cannot act as wildcards. Undefined = unresolved.
 */
function substitute(text: string, req: Request, enabled: boolean, glob: boolean): string | undefined {
  const escape = (s: string): string => (glob ? s.replace(/[\\*?]/g, (c) => `\\${c}`) : s);
  const raw = (s: string): string => (glob ? s.replace(/\\/g, '\\\\') : s);
  if (!enabled) return raw(text);
  let out = '';
  let rest = text;
  for (;;) {
    const m = /\$\{([^},]*)(?:,\s*'((?:[^']|'')*)'\s*)?\}/.exec(rest);
    if (m === null) return out + raw(rest);
    out += raw(rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
    const inner = (m[1] ?? '').trim();
    if (inner === '') {
      out += raw(m[0]);
      continue;
    }
    if (inner === '*' || inner === '?' || inner === '$') {
      out += escape(inner);
      continue;
    }
    const values = req.get(inner);
    if (values !== undefined && values.length === 1) out += escape(values[0]!);
    else if (m[2] !== undefined) out += escape(m[2].replace(/''/g, "'"));
    else return undefined;
  }
}

/** A glob (with `\` escapes from `substitute`) as a regular expression; `*` and `?` may span anything. */
const REGEX_SYNTAX = new Set('.*+?^${}()|[]\\/-');
const literal = (c: string): string => (REGEX_SYNTAX.has(c) ? `\\${c}` : c);

function globRegex(glob: string, flags: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) source += literal(glob[++i]!);
    else if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else source += literal(c);
  }
  return new RegExp(`^${source}$`, `s${flags}`);
}

function globMatch(glob: string, value: string, ignoreCase = false): boolean {
  return globRegex(glob, ignoreCase ? 'i' : '').test(value);
}

/** Splits at the first five colons (an escaped `\:` never occurs: colons are never wildcards). */
function arnParts(text: string): string[] {
  const parts = text.split(':');
  return parts.length <= 6 ? parts : [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * AWS's ARN rule: compare partition, service, region, account and resource one by one. In the Resource element
 * (`resource`), a `*` ending one of the first five parts may take colons too: when every wildcard there is such
 * a star, the pattern is matched whole.
 */
function arnMatch(pattern: string, value: string, resource = false): boolean {
  if (!pattern.startsWith('arn:')) return globMatch(pattern, value);
  const p = arnParts(pattern);
  const endStarsOnly = p
    .slice(0, 5)
    .every((part) => !part.includes('?') && (!part.includes('*') || part.indexOf('*') === part.length - 1));
  if (resource && endStarsOnly) return globMatch(pattern, value);
  const v = arnParts(value);
  return p.length === v.length && p.every((part, i) => globMatch(part, v[i]!));
}

/** `service:` with nothing after the colon names no action at all. */
function actionPatternMatches(pattern: string, action: string): boolean {
  return !pattern.endsWith(':') && globMatch(pattern, action, true);
}

function actionMatches(s: Json, action: string): boolean {
  if (s.Action !== undefined) return list(s.Action).some((a) => actionPatternMatches(a, action));
  return !list(s.NotAction).some((a) => actionPatternMatches(a, action));
}

function resourceMatches(s: Json, req: Request, vars: boolean): boolean {
  const hit = (patterns: string[]): boolean =>
    patterns.some((r) => {
      const resolved = substitute(r, req, vars, true);
      return resolved !== undefined && arnMatch(resolved, req.resource, true);
    });
  if (s.Resource !== undefined) return hit(list(s.Resource));
  if (s.NotResource !== undefined) {
    // An unresolvable variable makes a NotResource statement invalid: it does not apply.
    const patterns = list(s.NotResource);
    if (patterns.some((r) => substitute(r, req, vars, true) === undefined)) return false;
    return !hit(patterns);
  }
  return true;
}

type Match = 'none' | 'direct' | 'role' | 'account';
const RANK: Record<Match, number> = { none: 0, account: 1, role: 2, direct: 3 };

function accountOf(entry: string): string | undefined {
  if (/^\d{12}$/.test(entry)) return entry;
  const m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(entry);
  return m?.[1];
}

/** The entry names the requester's role: the role itself, or the role a session was made from. */
function isRoleOf(entry: string, who: Who): boolean {
  const m = /^arn:[^:]+:iam::(\d{12}):role\/(.+)$/.exec(entry);
  const roleKind = who.kind === 'assumedRole' || who.kind === 'role';
  return roleKind && m !== null && m[1] === who.account && m[2]!.split('/').at(-1) === who.name;
}

function principalMatch(principal: unknown, who: Who): Match {
  if (principal === '*') return 'direct';
  const p = principal as Json;
  const aws = list(p.AWS);
  if (aws.includes('*')) return 'direct';
  // Within the account, only a grant to a role *session* escapes the role's boundary and session policy.
  if (aws.includes(who.arn)) return who.kind === 'role' ? 'role' : 'direct';
  if (who.kind === 'service' && list(p.Service).includes(who.arn)) return 'direct';
  if (list(p.Federated).includes(who.arn) || list(p.CanonicalUser).includes(who.arn)) return 'direct';
  if (aws.some((e) => isRoleOf(e, who))) return 'role';
  if (aws.some((e) => accountOf(e) !== undefined && accountOf(e) === who.account)) return 'account';
  return 'none';
}

/**
 * Deny + NotPrincipal excludes a requester only when its whole chain (itself, its role, and across accounts
 * its account) is listed; Allow + NotPrincipal grants nobody it names, whichever link of the chain is named.
 */
function notPrincipalApplies(notPrincipal: unknown, who: Who, effect: unknown, sameAccount: boolean): boolean {
  if (notPrincipal === '*') return false;
  const p = notPrincipal as Json;
  const aws = list(p.AWS);
  const accountListed = aws.some((e) => e !== '*' && accountOf(e) !== undefined && accountOf(e) === who.account);
  const roleListed = who.kind === 'assumedRole' && aws.some((e) => isRoleOf(e, who));
  const others = [...list(p.Service), ...list(p.Federated), ...list(p.CanonicalUser)];
  if (effect === 'Allow') return !(aws.includes(who.arn) || accountListed || roleListed || others.includes(who.arn));
  const accountCleared = accountListed || sameAccount;
  if (who.kind === 'root') return !accountListed;
  if (who.kind === 'user' || who.kind === 'role' || who.kind === 'federatedUser')
    return !(aws.includes(who.arn) && accountCleared);
  if (who.kind === 'assumedRole') return !(aws.includes(who.arn) && accountCleared && roleListed);
  if (who.kind === 'service') return !list(p.Service).includes(who.arn);
  return !(aws.includes(who.arn) || list(p.Federated).includes(who.arn) || list(p.CanonicalUser).includes(who.arn));
}

/** Does one context value match one (resolved) policy value under the base operator? */
function valueMatches(base: string, contextValue: string, policyValue: string): boolean {
  switch (base) {
    case 'stringequals':
      return contextValue === policyValue;
    case 'stringequalsignorecase':
      return contextValue.toLowerCase() === policyValue.toLowerCase();
    case 'stringlike':
      return globMatch(policyValue, contextValue);
    case 'arnequals':
    case 'arnlike':
      return arnMatch(policyValue, contextValue);
    case 'bool': {
      const c = contextValue.trim().toLowerCase();
      return (c === 'true' || c === 'false') && c === policyValue.trim().toLowerCase();
    }
    case 'binaryequals':
      return contextValue === policyValue;
    case 'ipaddress': {
      const block = parseIpBlock(policyValue);
      const ip = contextValue.includes('/') ? undefined : parseIpBlock(contextValue);
      return block !== undefined && ip !== undefined && blockContains(block, ip);
    }
  }
  const numeric = base.startsWith('numeric');
  const read = numeric ? parseNumber : parseDate;
  const c = read(contextValue);
  const p = read(policyValue);
  if (c === undefined || p === undefined) return false;
  const comparison = base.slice(numeric ? 'numeric'.length : 'date'.length);
  return { equals: c === p, lessthan: c < p, lessthanequals: c <= p, greaterthan: c > p, greaterthanequals: c >= p }[
    comparison
  ] as boolean;
}

const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  numericnotequals: 'numericequals',
  datenotequals: 'dateequals',
  notipaddress: 'ipaddress',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
};
const WITH_VARIABLES = /^(string|arn)/;
const GLOB_OPERATORS = /^(stringlike|arnequals|arnlike)$/;

function conditionHolds(operator: string, key: string, policyValues: string[], req: Request, vars: boolean): boolean {
  let name = operator.toLowerCase();
  let set = '';
  if (name.startsWith('forallvalues:')) [set, name] = ['all', name.slice(13)];
  else if (name.startsWith('foranyvalue:')) [set, name] = ['any', name.slice(12)];
  const ifExists = name.endsWith('ifexists');
  if (ifExists) name = name.slice(0, -8);
  const values = req.get(key);
  const present = values !== undefined && values.length > 0;
  if (name === 'null')
    return policyValues.some((v) => (v.toLowerCase() === 'true' ? !present : v.toLowerCase() === 'false' && present));
  const negated = name in NEGATED;
  const base = NEGATED[name] ?? name;
  if (!present) return ifExists || set === 'all' || (set === '' && negated);
  const substituted = policyValues.map((v) =>
    WITH_VARIABLES.test(base) ? substitute(v, req, vars, GLOB_OPERATORS.test(base)) : v,
  );
  // An unresolvable variable matches nothing; under a negated operator it makes the statement invalid.
  if (negated && substituted.includes(undefined)) return false;
  const resolved = substituted.filter((v): v is string => v !== undefined);
  const matchesSome = (c: string): boolean => resolved.some((p) => valueMatches(base, c, p));
  if (!negated) return set === 'all' ? values.every(matchesSome) : values.some(matchesSome);
  if (set === 'any') return values.some((c) => !matchesSome(c));
  return values.every((c) => !matchesSome(c));
}

function conditionsHold(s: Json, req: Request, vars: boolean): boolean {
  const block = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(block).every(([operator, keys]) =>
    Object.entries(keys).every(([key, v]) => conditionHolds(operator, key, list(v), req, vars)),
  );
}

/** How a statement applies to the request: 'none', or how its Principal named the requester. */
function statementApplies(s: Json, req: Request, vars: boolean, resourcePolicy: boolean): Match {
  if (!actionMatches(s, req.action) || !resourceMatches(s, req, vars)) return 'none';
  let match: Match = 'direct';
  if (s.Principal !== undefined) match = principalMatch(s.Principal, req.principal);
  else if (s.NotPrincipal !== undefined) {
    // A Deny with NotPrincipal always applies to a principal with a permissions boundary (AWS NotPrincipal page).
    const alwaysDenied = s.Effect === 'Deny' && req.bounded;
    if (!alwaysDenied && !notPrincipalApplies(s.NotPrincipal, req.principal, s.Effect, req.sameAccount)) match = 'none';
  } else if (resourcePolicy) {
    // A resource-based policy statement that names no principal applies to nobody.
    match = 'none';
  }
  if (match === 'none' || !conditionsHold(s, req, vars)) return 'none';
  return match;
}

function statementsOf(doc: unknown): { statements: Json[]; vars: boolean } {
  const d = (typeof doc === 'string' ? JSON.parse(doc) : doc) as Json;
  const statements = Array.isArray(d.Statement) ? (d.Statement as Json[]) : [d.Statement as Json];
  return { statements, vars: d.Version === '2012-10-17' };
}

/** The strongest match of any statement with this effect in these documents. */
function strongest(docs: unknown[], effect: string, req: Request, resourcePolicy = false): Match {
  let best: Match = 'none';
  for (const doc of docs) {
    const { statements, vars } = statementsOf(doc);
    for (const s of statements) {
      if (s.Effect !== effect) continue;
      const m = statementApplies(s, req, vars, resourcePolicy);
      if (RANK[m] > RANK[best]) best = m;
    }
  }
  return best;
}

/**
 * AWS's service rules above policies, written out independently of src/policy/service-rules.ts:
 * 'allow' (needs no permission, cannot be denied), 'refuse' (the resource cannot be changed by anyone),
 * 'needs-resource-policy' (the trust or key policy must allow), or undefined.
 */
function serviceRule(action: string, resource: string): 'allow' | 'refuse' | 'needs-resource-policy' | undefined {
  const [service = '', name = ''] = action.toLowerCase().split(':');
  if (service === 'sts' && name === 'getcalleridentity') return 'allow';
  const policyWrites = ['createpolicyversion', 'deletepolicy', 'deletepolicyversion', 'setdefaultpolicyversion'];
  if (service === 'iam' && [...policyWrites, 'tagpolicy', 'untagpolicy'].includes(name)) {
    if (/^arn:[^:]+:iam::aws:policy\//.test(resource)) return 'refuse';
  }
  // Not UpdateRole, TagRole nor UntagRole: AWS lets an account tag a service-linked role and edit its description.
  const roleWrites = ['deleterole', 'updateassumerolepolicy', 'putrolepolicy', 'deleterolepolicy'];
  const roleLinks = ['attachrolepolicy', 'detachrolepolicy', 'putrolepermissionsboundary'];
  const roleOthers = ['deleterolepermissionsboundary'];
  if (service === 'iam' && [...roleWrites, ...roleLinks, ...roleOthers].includes(name)) {
    const path = /^arn:[^:]+:iam::\d{12}:role\/([^/]+)\//.exec(resource)?.[1];
    if (path === 'aws-service-role' || path === 'aws-reserved') return 'refuse';
  }
  if (service === 'sts' && ['assumerole', 'assumerolewithsaml', 'assumerolewithwebidentity'].includes(name)) {
    return 'needs-resource-policy';
  }
  if (service === 'kms') {
    const [, , , , , kind = ''] = resource.split(':');
    if (['createalias', 'updatealias', 'deletealias'].includes(name) && kind.startsWith('alias/aws/')) return 'refuse';
    if (kind.startsWith('key/')) return 'needs-resource-policy';
  }
  return undefined;
}

export function referenceEvaluate(c: EvaluationCase): ReferenceResult {
  const { request, policies } = c;
  const rule = serviceRule(request.action, request.resource);
  if (rule === 'allow') return { decision: 'Allowed', blockedBy: [] };
  if (rule === 'refuse') return { decision: 'ImplicitlyDenied', blockedBy: [] };
  const who = whoIs(request.principal);
  const resourceAccount = request.resourceAccount ?? who.account;
  const isRoot = who.kind === 'root';
  // An anonymous caller has no identity-based side (and SCPs do not govern it: guardrail-scope.ts).
  const isAnonymous = who.kind === 'anonymous';
  const noIdentity = isRoot || isAnonymous;
  const bounded = !isRoot && policies.permissionBoundary !== undefined;
  const req = new Request(who, request.action, request.resource, resourceAccount, request.context ?? {}, bounded);
  const present = (d: unknown): unknown[] => (d === undefined ? [] : [d]);

  // Step 1: an explicit Deny in any policy that applies to this principal.
  const rcps = rcpGoverns(request.action) ? policies.rcps : undefined;
  const scps = scpGoverns(who.kind, who.arn) ? policies.scps : undefined;
  const byType: [PolicyType, unknown[]][] = [
    ['rcp', (rcps ?? []).flat()],
    ['scp', (scps ?? []).flat()],
    ['resource', present(policies.resource)],
    ['identity', noIdentity ? [] : policies.identity],
    ['permissionBoundary', noIdentity ? [] : present(policies.permissionBoundary)],
    ['session', noIdentity ? [] : present(policies.session)],
  ];
  const denying = byType
    .filter(([type, docs]) => strongest(docs, 'Deny', req, type === 'resource') !== 'none')
    .map(([t]) => t);
  if (denying.length > 0) return { decision: 'ExplicitlyDenied', blockedBy: denying };

  // Steps 2-3: every organization level must allow.
  const levelsAllow = (levels: unknown[][] | undefined): boolean =>
    (levels ?? []).every((level) => strongest(level, 'Allow', req) !== 'none');
  const blockedBy: PolicyType[] = [];
  if (!levelsAllow(rcps)) blockedBy.push('rcp');
  if (!levelsAllow(scps)) blockedBy.push('scp');

  // Steps 4-7.
  const resource = strongest(present(policies.resource), 'Allow', req, true);
  const identity = isRoot || (!isAnonymous && strongest(policies.identity, 'Allow', req) !== 'none');
  const boundary =
    noIdentity ||
    policies.permissionBoundary === undefined ||
    strongest([policies.permissionBoundary], 'Allow', req) !== 'none';
  const session =
    noIdentity || policies.session === undefined || strongest([policies.session], 'Allow', req) !== 'none';
  const crossAccount = who.account !== undefined && resourceAccount !== undefined && resourceAccount !== who.account;

  let allowed: boolean;
  if (isAnonymous) {
    // Only a resource-based policy can let an anonymous caller in.
    allowed = resource !== 'none';
    if (!allowed) blockedBy.push('resource');
  } else if (crossAccount) {
    // Both the principal's side and the resource's policy must allow.
    allowed = identity && boundary && session && resource !== 'none';
    if (resource === 'none') blockedBy.push('resource');
    if (!identity) blockedBy.push('identity');
  } else if (rule === 'needs-resource-policy' && resource === 'none') {
    // A trust policy or a key policy must allow; identity-based policies alone never do.
    allowed = false;
    blockedBy.push('resource');
  } else if (resource === 'direct') {
    // Same account, the resource policy names this user or this session (or everyone): that is enough.
    allowed = true;
  } else {
    // A role (or a session of it) named through the role's ARN is still limited by its boundary and
    // session policy; naming the account only delegates to the account's identity-based policies.
    allowed = (identity || resource === 'role') && boundary && session;
    if (!identity && resource !== 'role') blockedBy.push('identity');
  }
  if (!allowed) {
    if (!boundary) blockedBy.push('permissionBoundary');
    if (!session) blockedBy.push('session');
  }
  if (allowed && blockedBy.length === 0) return { decision: 'Allowed', blockedBy: [] };
  return { decision: 'ImplicitlyDenied', blockedBy };
}
