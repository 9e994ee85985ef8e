/**
 * Compiling a policy: parse and normalise once, precompile every glob, and index statements by the
 * service prefix of their actions, so evaluation never parses and touches only statements that can apply.
 */
import { compileCondition, type CompiledCondition } from './condition/condition.js';
import { parseDocument, type PrincipalDocument } from './document.js';
import { compileGlob, type Matcher } from './glob.js';
import type { PolicyType, StatementRef } from './types.js';
import { hasVariables, parseTemplate, type Template } from './variables.js';
import { BoundedCache } from '../platform/bounded-cache.js';

/** A Resource / NotResource entry: a precompiled matcher, or a template resolved per request. */
export interface ResourcePattern {
  matcher?: Matcher;
  template?: Template;
  /** Matchers of resolved templates keyed by resolved text. */
  cache?: BoundedCache<string, Matcher>;
}

export interface CompiledStatement {
  ref: StatementRef;
  /** A bit per policy type (see TYPE_BITS), so evaluation can track types without a Set. */
  typeBit: number;
  effect: 'Allow' | 'Deny';
  /** Action or NotAction patterns (lowercase globs); `notAction` says which. */
  actionMatchers: Matcher[];
  notAction: boolean;
  /** True when Resource is `*` (or absent where allowed): no resource test needed. */
  anyResource: boolean;
  resources: ResourcePattern[];
  notResource: boolean;
  principal?: PrincipalDocument;
  notPrincipal?: PrincipalDocument;
  /**
   * A resource-based policy statement with neither Principal nor NotPrincipal: AWS does not accept one,
   * and it never applies to any request (neither allows nor denies).
   */
  noPrincipal: boolean;
  conditions: CompiledCondition[];
}

export interface CompiledPolicy {
  policyType: PolicyType;
  policyId: string;
  statements: CompiledStatement[];
  /** Statements whose actions all name one service, by lowercase service prefix. */
  byService: Map<string, CompiledStatement[]>;
  /** Statements that may match any service: `*`, wildcard service prefixes, NotAction. */
  anyService: CompiledStatement[];
  /**
   * Statements covering an action, by action as asked (bounded). A policy is shared by every principal
   * it is attached to, so a new policy set (a new principal, another resource policy) starts warm.
   */
  byAction: BoundedCache<string, CompiledStatement[]>;
}

export type CompileResult = { ok: true; policy: CompiledPolicy } | { ok: false; errors: string[] };

export interface PolicyRefInput {
  policyType: PolicyType;
  policyId: string;
}

export const TYPE_BITS: Readonly<Record<PolicyType, number>> = {
  rcp: 1,
  scp: 2,
  resource: 4,
  identity: 8,
  permissionBoundary: 16,
  session: 32,
};

/** The policy types that do not apply to the account root user. */
export const NOT_FOR_ROOT_BITS = TYPE_BITS.identity | TYPE_BITS.permissionBoundary | TYPE_BITS.session;

/** The policy types that do not apply to an anonymous caller: it has no identity, and SCPs govern none of it. */
export const NOT_FOR_ANONYMOUS_BITS = NOT_FOR_ROOT_BITS | TYPE_BITS.scp;

function servicePrefix(action: string): string | undefined {
  const colon = action.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = action.slice(0, colon).toLowerCase();
  return prefix.includes('*') || prefix.includes('?') ? undefined : prefix;
}

/** `service:` (nothing after the colon) names no action: it matches nothing, so NotAction covers every action. */
const matchesNoAction: Matcher = () => false;

function compileAction(action: string): Matcher {
  return action.endsWith(':') ? matchesNoAction : compileGlob(action, { ignoreCase: true });
}

const RESOURCE_CACHE_LIMIT = 256;
const ACTION_CACHE_LIMIT = 4096;

function compileResource(text: string, variablesEnabled: boolean): ResourcePattern {
  const template = parseTemplate(text, variablesEnabled);
  if (hasVariables(template)) return { template, cache: new BoundedCache(RESOURCE_CACHE_LIMIT) };
  return { matcher: compileGlob(text, { arn: 'resource' }) };
}

/** Compiles one raw policy document (JSON text or value). Never throws. */
export function compilePolicy(document: unknown, ref: PolicyRefInput): CompileResult {
  const parsed = parseDocument(document, { resourceOptional: ref.policyType === 'resource' });
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => `${ref.policyId}: ${e}`) };
  const variablesEnabled = parsed.document.version === '2012-10-17';
  const errors: string[] = [];
  const statements: CompiledStatement[] = [];
  const byService = new Map<string, CompiledStatement[]>();
  const anyService: CompiledStatement[] = [];
  for (const doc of parsed.document.statements) {
    const refEntry: StatementRef = {
      policyType: ref.policyType,
      policyId: ref.policyId,
      index: doc.index,
      effect: doc.effect,
    };
    if (doc.sid !== undefined) refEntry.sid = doc.sid;
    const actions = doc.action ?? doc.notAction ?? [];
    const conditions: CompiledCondition[] = [];
    for (const c of doc.condition) {
      const compiled = compileCondition(c, variablesEnabled);
      if (compiled.ok) conditions.push(compiled.condition);
      else errors.push(`${ref.policyId}: Statement[${doc.index}].Condition: ${compiled.error}`);
    }
    const resourceList = doc.resource ?? doc.notResource;
    const statement: CompiledStatement = {
      ref: Object.freeze(refEntry),
      typeBit: TYPE_BITS[ref.policyType],
      effect: doc.effect,
      actionMatchers: actions.map(compileAction),
      notAction: doc.notAction !== undefined,
      anyResource: resourceList === undefined || (doc.resource !== undefined && doc.resource.includes('*')),
      resources: (resourceList ?? []).map((r) => compileResource(r, variablesEnabled)),
      notResource: doc.notResource !== undefined,
      noPrincipal: ref.policyType === 'resource' && doc.principal === undefined && doc.notPrincipal === undefined,
      conditions,
    };
    if (doc.principal !== undefined) statement.principal = doc.principal;
    if (doc.notPrincipal !== undefined) statement.notPrincipal = doc.notPrincipal;
    statements.push(statement);
    const prefixes = new Set(actions.map(servicePrefix));
    if (statement.notAction || prefixes.has(undefined)) {
      anyService.push(statement);
    } else {
      for (const prefix of prefixes as Set<string>) {
        const list = byService.get(prefix) ?? [];
        list.push(statement);
        byService.set(prefix, list);
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    policy: {
      policyType: ref.policyType,
      policyId: ref.policyId,
      statements,
      byService,
      anyService,
      byAction: new BoundedCache(ACTION_CACHE_LIMIT),
    },
  };
}

/** Whether the statement's Action / NotAction covers the action (case-insensitive). */
export function statementCoversAction(statement: CompiledStatement, action: string): boolean {
  let matched = false;
  for (const m of statement.actionMatchers) {
    if (m(action)) {
      matched = true;
      break;
    }
  }
  return matched !== statement.notAction;
}

/** The policy's statements that cover the action, in document order. */
export function statementsForAction(policy: CompiledPolicy, action: string): CompiledStatement[] {
  let found = policy.byAction.get(action);
  if (found === undefined) {
    found = scanForAction(policy, action);
    policy.byAction.set(action, found);
  }
  return found;
}

function scanForAction(policy: CompiledPolicy, action: string): CompiledStatement[] {
  const prefix = servicePrefix(action);
  const candidates =
    prefix === undefined ? policy.statements : mergeInOrder(policy.byService.get(prefix), policy.anyService);
  return candidates.filter((s) => statementCoversAction(s, action));
}

function mergeInOrder(a: CompiledStatement[] | undefined, b: CompiledStatement[]): CompiledStatement[] {
  if (a === undefined) return b;
  if (b.length === 0) return a;
  const out: CompiledStatement[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.ref.index < b[j]!.ref.index)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
