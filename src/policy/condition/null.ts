/** Null: `"true"` matches when the key is absent (or an empty list), `"false"` when it is present. */
import type { ConditionOperator } from './operator.js';
import { identity } from './operator.js';

export const Null: ConditionOperator = {
  name: 'Null',
  negated: false,
  nullCheck: true,
  family: {
    variables: false,
    glob: false,
    preparePolicy: (v) => v.trim().toLowerCase(),
    prepareContext: identity,
    test: () => false,
  },
};
