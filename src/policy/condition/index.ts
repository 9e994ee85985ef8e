/** Every condition operator by name, and the reading of `ForAllValues:` / `ForAnyValue:` / `…IfExists`. */
import { ArnEquals, ArnLike, ArnNotEquals, ArnNotLike } from './arn.js';
import { BinaryEquals } from './binary.js';
import { Bool } from './bool.js';
import {
  DateEquals,
  DateGreaterThan,
  DateGreaterThanEquals,
  DateLessThan,
  DateLessThanEquals,
  DateNotEquals,
} from './date.js';
import { IpAddress, NotIpAddress } from './ip-address.js';
import { Null } from './null.js';
import {
  NumericEquals,
  NumericGreaterThan,
  NumericGreaterThanEquals,
  NumericLessThan,
  NumericLessThanEquals,
  NumericNotEquals,
} from './numeric.js';
import type { ConditionOperator } from './operator.js';
import {
  StringEquals,
  StringEqualsIgnoreCase,
  StringLike,
  StringNotEquals,
  StringNotEqualsIgnoreCase,
  StringNotLike,
} from './string.js';

export const OPERATORS: readonly ConditionOperator[] = [
  StringEquals,
  StringNotEquals,
  StringEqualsIgnoreCase,
  StringNotEqualsIgnoreCase,
  StringLike,
  StringNotLike,
  NumericEquals,
  NumericNotEquals,
  NumericLessThan,
  NumericLessThanEquals,
  NumericGreaterThan,
  NumericGreaterThanEquals,
  DateEquals,
  DateNotEquals,
  DateLessThan,
  DateLessThanEquals,
  DateGreaterThan,
  DateGreaterThanEquals,
  Bool,
  BinaryEquals,
  IpAddress,
  NotIpAddress,
  ArnEquals,
  ArnLike,
  ArnNotEquals,
  ArnNotLike,
  Null,
];

const BY_NAME = new Map(OPERATORS.map((op) => [op.name.toLowerCase(), op]));

export type SetQualifier = 'none' | 'any' | 'all';

export interface ParsedOperator {
  operator: ConditionOperator;
  set: SetQualifier;
  ifExists: boolean;
}

/** Reads an operator name as written (`ForAnyValue:StringLikeIfExists`); undefined when unknown. */
export function parseOperatorName(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: SetQualifier = 'none';
  const lower = name.toLowerCase();
  if (lower.startsWith('forallvalues:')) {
    set = 'all';
    rest = name.slice('ForAllValues:'.length);
  } else if (lower.startsWith('foranyvalue:')) {
    set = 'any';
    rest = name.slice('ForAnyValue:'.length);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const operator = BY_NAME.get(rest.toLowerCase());
  if (operator === undefined) return undefined;
  // Null takes neither qualifier: it checks presence.
  if (operator.nullCheck === true && (set !== 'none' || ifExists)) return undefined;
  return { operator, set, ifExists };
}
