/**
 * DescribeEffectivePolicy: an account's effective tag, backup or AI services opt-out policy — the policies
 * of that type attached to its root, each OU above it and the account itself, merged from the root down
 * with the inheritance operators AWS documents for management policies: `@@assign` replaces the value a
 * parent set, `@@append` adds to it, `@@remove` takes values out of it (a plain value counts as an
 * assignment). The result carries no operators, as AWS's does.
 *
 * Simplified: `@@operators_allowed_for_child_policies` is not enforced (a child may use any operator; the
 * key is dropped from the result), and the result is not reduced to the keys the consuming service knows.
 */
import type { OrgPolicyType } from '../store/tables/organizations.js';
import type { OrgCore } from './core.js';
import * as errors from './errors.js';
import { ACCOUNT_ID } from './ids.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asList = (value: Json | undefined): Json[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);

/** Applies one policy's node to the effective node its parents left. */
export function mergeNode(effective: JsonObject, node: JsonObject): JsonObject {
  const result: JsonObject = { ...effective };
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@@')) continue;
    if (isObject(value) && ('@@assign' in value || '@@append' in value || '@@remove' in value)) {
      let current = result[key];
      if ('@@assign' in value) current = structuredClone(value['@@assign']!);
      if ('@@append' in value) {
        const list = asList(current);
        for (const item of asList(value['@@append'])) if (!list.some((x) => same(x, item))) list.push(item);
        current = list;
      }
      if ('@@remove' in value) {
        const removed = asList(value['@@remove']);
        current = asList(current).filter((x) => !removed.some((r) => same(r, x)));
      }
      if (current === undefined) delete result[key];
      else result[key] = current;
    } else if (isObject(value)) {
      result[key] = mergeNode(isObject(result[key]) ? result[key] : {}, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

export class EffectivePolicies {
  constructor(private readonly core: OrgCore) {}

  /**
   * The management account may ask about any member account; a member only about itself (AWS refuses a
   * root or OU as the target).
   */
  async describe(caller: string, type: OrgPolicyType, targetId: string | undefined) {
    const org = await this.core.orgOf(this.core.db, caller);
    const accountId = targetId ?? caller;
    if (!ACCOUNT_ID.test(accountId)) throw errors.invalidInput('INVALID_PATTERN', '(TargetId)');
    if (accountId !== caller && org.management_account_id !== caller) throw errors.accessDenied();
    const account = await this.core.memberOf(this.core.db, org, accountId);
    if (!account) throw errors.targetNotFound();
    // The chain from the root down to the account.
    const chain = [account.account_id];
    for (let parent = account.parent_id; ;) {
      chain.unshift(parent);
      if (parent.startsWith('r-')) break;
      const ou = await this.core.findOu(this.core.db, org, parent);
      if (!ou) break;
      parent = ou.parent_id;
    }
    let effective: JsonObject = {};
    let updated: string | undefined;
    for (const target of chain) {
      for (const policy of await this.core.attachedTo(this.core.db, org, target, type)) {
        const document = JSON.parse(policy.content) as Json;
        if (isObject(document)) effective = mergeNode(effective, document);
        if (updated === undefined || policy.updated_at > updated) updated = policy.updated_at;
      }
    }
    if (updated === undefined) throw errors.effectivePolicyNotFound();
    return {
      EffectivePolicy: {
        PolicyContent: JSON.stringify(effective),
        LastUpdatedTimestamp: new Date(updated),
        TargetId: accountId,
        PolicyType: type,
      },
    };
  }
}
