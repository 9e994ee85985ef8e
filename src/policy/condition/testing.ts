/**
 * One condition evaluated on its own, for operator tables in tests (and anything else that wants to
 * try a single `Operator: { key: values }` against a few context values).
 */
import type { ContextValue } from '../types.js';
import type { ContextSource } from '../variables.js';
import { compileCondition, testCondition } from './condition.js';

export interface OperatorCase {
  name: string;
  operator: string;
  /** The request's value for the tested key; undefined = absent. */
  context: ContextValue | undefined;
  policy: string[];
  expected: boolean;
  /** Other request keys (for variables). */
  others?: Record<string, string>;
  /** Defaults to true (Version 2012-10-17). */
  variables?: boolean;
}

export const OPERATOR_CASE_KEY = 'test:key';

/** Evaluates the case's condition; throws on an unknown operator (a broken table, not a finding). */
export function runOperatorCase(c: OperatorCase): boolean {
  const compiled = compileCondition(
    { operator: c.operator, key: OPERATOR_CASE_KEY, values: c.policy },
    c.variables ?? true,
  );
  if (!compiled.ok) throw new Error(compiled.error);
  const values: Record<string, ContextValue> = { ...c.others };
  if (c.context !== undefined) values[OPERATOR_CASE_KEY] = c.context;
  const source: ContextSource = {
    get: (lowerKey) => {
      for (const [k, v] of Object.entries(values)) if (k.toLowerCase() === lowerKey) return v;
      return undefined;
    },
    missing: () => undefined,
  };
  return testCondition(compiled.condition, source);
}
