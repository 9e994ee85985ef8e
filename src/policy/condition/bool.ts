/** Bool: `true`/`false`, case-insensitive; anything else never matches. */
import { operator, type OperatorFamily } from './operator.js';

function parseBool(value: string): boolean | undefined {
  const lower = value.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

const bool: OperatorFamily<boolean, boolean> = {
  variables: false,
  glob: false,
  preparePolicy: parseBool,
  prepareContext: parseBool,
  test: (c, p) => c === p,
};

export const Bool = operator('Bool', bool);
