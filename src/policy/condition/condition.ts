/**
 * One compiled condition (`Operator: { Key: values }`) and its test against a request, following AWS's
 * documented rules:
 * - several values for one key OR together; negated operators match when *no* value matches;
 * - a key absent from the request (or an empty list): the condition is false, except that it is true for
 *   `…IfExists`, for `ForAllValues:` (vacuously), and for a negated operator without a set qualifier;
 *   `ForAnyValue:` is false;
 * - a multi-valued key with no qualifier behaves as `ForAnyValue:` (negated: no value may match);
 *   `ForAllValues:` needs every request value to match (negated: none of them may match any policy value);
 *   `ForAnyValue:` needs one (negated: one request value that matches no policy value);
 * - `Null` checks presence only.
 * Policy values that name an unresolvable variable are left out (they match nothing).
 */
import type { ConditionDocument } from '../document.js';
import { hasVariables, parseTemplate, resolveTemplate, type ContextSource, type Template } from '../variables.js';
import type { ConditionOperator } from './operator.js';
import { parseOperatorName, type SetQualifier } from './index.js';
import { BoundedCache } from '../../platform/bounded-cache.js';

export interface CompiledCondition {
  operatorAsWritten: string;
  operator: ConditionOperator;
  set: SetQualifier;
  ifExists: boolean;
  key: string;
  keyAsWritten: string;
  /** Policy values prepared once; `undefined` entries can never match. Absent when any value has a variable. */
  prepared?: unknown[];
  templates?: Template[];
  /** Prepared values of resolved templates, keyed by resolved text. */
  resolvedCache?: BoundedCache<string, unknown>;
  /** One-entry memo of the last context value read (dates and addresses cost a parse). */
  lastRaw?: string;
  lastParsed?: unknown;
}

const RESOLVED_CACHE_LIMIT = 256;

export function compileCondition(
  doc: ConditionDocument,
  variablesEnabled: boolean,
): { ok: true; condition: CompiledCondition } | { ok: false; error: string } {
  const parsed = parseOperatorName(doc.operator);
  if (parsed === undefined) return { ok: false, error: `unknown condition operator \`${doc.operator}\`` };
  const { operator, set, ifExists } = parsed;
  const condition: CompiledCondition = {
    operatorAsWritten: doc.operator,
    operator,
    set,
    ifExists,
    key: doc.key.toLowerCase(),
    keyAsWritten: doc.key,
  };
  const templates = doc.values.map((v) => parseTemplate(v, variablesEnabled && operator.family.variables));
  if (templates.some(hasVariables)) {
    condition.templates = templates;
    condition.resolvedCache = new BoundedCache(RESOLVED_CACHE_LIMIT);
  } else {
    condition.prepared = doc.values.map((v) => operator.family.preparePolicy(v));
  }
  return { ok: true, condition };
}

function contextValue(c: CompiledCondition, raw: string): unknown {
  if (c.lastRaw === raw) return c.lastParsed;
  const parsed = c.operator.family.prepareContext(raw);
  c.lastRaw = raw;
  c.lastParsed = parsed;
  return parsed;
}

/** The policy values for this request: prepared ones as they are, templates resolved and prepared. */
/**
 * The condition's policy values with their variables resolved. A value whose variable the request cannot
 * resolve matches nothing; under a negated operator it would then match everything, so there AWS's rule
 * applies: "any attempt to match it fails and causes the statement to be invalid" (undefined: the condition
 * fails, and the statement does not apply).
 */
function policyValues(c: CompiledCondition, source: ContextSource): unknown[] | undefined {
  if (c.prepared !== undefined) return c.prepared;
  const out: unknown[] = [];
  const family = c.operator.family;
  for (const template of c.templates ?? []) {
    const text = resolveTemplate(template, source, family.glob);
    if (text === undefined) {
      if (c.operator.negated) return undefined;
      continue;
    }
    out.push(c.resolvedCache!.getOrSet(text, () => family.preparePolicy(text)));
  }
  return out;
}

function anyPolicyValueMatches(c: CompiledCondition, context: unknown, values: unknown[]): boolean {
  if (context === undefined) return false;
  const test = c.operator.family.test;
  for (const p of values) if (p !== undefined && test(context, p)) return true;
  return false;
}

export function testCondition(c: CompiledCondition, source: ContextSource): boolean {
  const found = source.get(c.key, c.keyAsWritten);
  const present = found !== undefined && (typeof found === 'string' || found.length > 0);
  if (c.operator.nullCheck === true) {
    for (const v of c.prepared ?? []) if ((v === 'true' && !present) || (v === 'false' && present)) return true;
    return false;
  }
  if (!present) {
    source.missing(c.keyAsWritten);
    return c.ifExists || c.set === 'all' || (c.set === 'none' && c.operator.negated);
  }
  const values = policyValues(c, source);
  if (values === undefined) return false;
  if (typeof found === 'string') {
    // One request value: every qualifier reads the same, negation flips it.
    return anyPolicyValueMatches(c, contextValue(c, found), values) !== c.operator.negated;
  }
  const contextValues = found as readonly string[];
  if (!c.operator.negated) {
    if (c.set === 'all') {
      for (const raw of contextValues) if (!anyPolicyValueMatches(c, contextValue(c, raw), values)) return false;
      return true;
    }
    for (const raw of contextValues) if (anyPolicyValueMatches(c, contextValue(c, raw), values)) return true;
    return false;
  }
  if (c.set === 'any') {
    for (const raw of contextValues) if (!anyPolicyValueMatches(c, contextValue(c, raw), values)) return true;
    return false;
  }
  for (const raw of contextValues) if (anyPolicyValueMatches(c, contextValue(c, raw), values)) return false;
  return true;
}
