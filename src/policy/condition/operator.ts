/**
 * What a condition operator is: how it reads policy values and context values, and when one context
 * value matches one policy value. Set qualifiers (`ForAllValues:`/`ForAnyValue:`), `…IfExists`, missing
 * keys and negation are the same for every operator and live in condition.ts.
 */
export interface OperatorFamily<P = unknown, C = unknown> {
  /**
   * Whether policy variables are substituted in this operator's values. AWS allows them with the String
   * and Arn operators only; elsewhere `${…}` is plain text (which then fails to read as a number, date…).
   */
  variables: boolean;
  /** Resolve variables for glob matching: substituted text never acts as a wildcard. */
  glob: boolean;
  /** Reads a policy value once; undefined means the value can never match. */
  preparePolicy(value: string): P | undefined;
  /** Reads a context value; undefined means it can never match (e.g. not a number for Numeric*). */
  prepareContext(value: string): C | undefined;
  test(context: C, policy: P): boolean;
}

export interface ConditionOperator {
  name: string;
  family: OperatorFamily;
  /** Negated operators (StringNotEquals, NotIpAddress…) match when no policy value matches. */
  negated: boolean;
  /** `Null` checks presence, not values. */
  nullCheck?: boolean;
}

export function operator<P, C>(name: string, family: OperatorFamily<P, C>, negated = false): ConditionOperator {
  return { name, family: family as OperatorFamily, negated };
}

export const identity = (value: string): string => value;
