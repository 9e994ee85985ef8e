/** Numeric operators: integers and decimals; a value that is not a number never matches. */
import { operator, type OperatorFamily } from './operator.js';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export function parseNumber(value: string): number | undefined {
  return NUMBER.test(value.trim()) ? Number(value) : undefined;
}

function family(test: (c: number, p: number) => boolean): OperatorFamily<number, number> {
  return { variables: false, glob: false, preparePolicy: parseNumber, prepareContext: parseNumber, test };
}

const equals = family((c, p) => c === p);

export const NumericEquals = operator('NumericEquals', equals);
export const NumericNotEquals = operator('NumericNotEquals', equals, true);
export const NumericLessThan = operator(
  'NumericLessThan',
  family((c, p) => c < p),
);
export const NumericLessThanEquals = operator(
  'NumericLessThanEquals',
  family((c, p) => c <= p),
);
export const NumericGreaterThan = operator(
  'NumericGreaterThan',
  family((c, p) => c > p),
);
export const NumericGreaterThanEquals = operator(
  'NumericGreaterThanEquals',
  family((c, p) => c >= p),
);
