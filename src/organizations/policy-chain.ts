/**
 * The organization policies that bound an account: its SCP chain (for its principals) and RCP chain (for its
 * resources), as the engine takes them — one array of compiled policies per level, root first, then each OU
 * from the top down, then the account — so that every level must allow.
 *
 * `undefined` means "no such policies apply": the account is in no organization, the policy type is not
 * enabled in its root, or it is the management account (SCPs and RCPs never affect it, as in AWS).
 *
 * A chain is a pure function of the store. Every Organizations write that can change an account's chain
 * bumps that account's `iam_accounts.policy_generation` in the same transaction and reports the account ids
 * after commit (`Organizations`' `onChainsChanged`), so callers may cache by account and generation; this
 * module's own per-account cache is dropped through `invalidate()` and can be turned off where other
 * processes write the same store.
 */
import type { Kysely } from 'kysely';
import { compilePolicy, type CompiledPolicy } from '../policy/index.js';
import type { Database } from '../store/schema.js';
import type { OrgPolicyType } from '../store/tables/organizations.js';
import { ROOT_ID } from './ids.js';
import { BoundedCache } from '../platform/bounded-cache.js';

export type PolicyChain = CompiledPolicy[][];

export interface PolicyChains {
  /** The SCPs that bound the account's principals, or undefined when none apply. */
  scpChainFor(accountId: string): Promise<PolicyChain | undefined>;
  /** The RCPs that bound the account's resources, or undefined when none apply. */
  rcpChainFor(accountId: string): Promise<PolicyChain | undefined>;
  /** Drops cached chains of these accounts (all when omitted). */
  invalidate(accountIds?: readonly string[]): void;
}

export interface PolicyChainOptions {
  /** Keep chains per account in this process (default true); turn off when another process writes the store. */
  cache?: boolean;
}

const COMPILED_LIMIT = 4096;

export function createPolicyChains(db: Kysely<Database>, options: PolicyChainOptions = {}): PolicyChains {
  const useCache = options.cache ?? true;
  const chains = new Map<string, Promise<PolicyChain | undefined>>();
  // Keyed by ARN and content, so an updated policy is recompiled and an unchanged one never is.
  const compiled = new BoundedCache<string, CompiledPolicy>(COMPILED_LIMIT);

  function compile(row: { policy_id: string; arn: string; content: string }, type: OrgPolicyType) {
    const key = `${row.arn}\n${row.content}`;
    let policy = compiled.get(key);
    if (policy === undefined) {
      const result = compilePolicy(row.content, {
        policyType: type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp',
        policyId: row.arn,
      });
      // Contents are validated when written; one that no longer compiles must not silently widen access.
      if (!result.ok) throw new Error(`Stored ${type} ${row.policy_id} does not compile: ${result.errors.join('; ')}`);
      policy = result.policy;
      compiled.set(key, policy);
    }
    return policy;
  }

  async function load(accountId: string, type: OrgPolicyType): Promise<PolicyChain | undefined> {
    const member = await db
      .selectFrom('org_accounts as a')
      .innerJoin('org_organizations as o', 'o.organization_id', 'a.organization_id')
      .select(['a.parent_id', 'o.organization_id', 'o.management_account_id'])
      .where('a.account_id', '=', accountId)
      .executeTakeFirst();
    if (!member || member.management_account_id === accountId) return undefined;
    const enabled = await db
      .selectFrom('org_roots as r')
      .innerJoin('org_root_policy_types as t', 't.root_id', 'r.root_id')
      .select('r.root_id')
      .where('r.organization_id', '=', member.organization_id)
      .where('t.policy_type', '=', type)
      .executeTakeFirst();
    if (!enabled) return undefined;

    // Levels from the account up to the root, then reversed: root, OUs top-down, account.
    const levels = [accountId];
    let parent = member.parent_id;
    while (!ROOT_ID.test(parent)) {
      levels.push(parent);
      const ou = await db
        .selectFrom('org_units')
        .select('parent_id')
        .where('ou_id', '=', parent)
        .executeTakeFirstOrThrow();
      parent = ou.parent_id;
    }
    levels.push(parent);
    levels.reverse();

    const rows = await db
      .selectFrom('org_policy_attachments as a')
      .innerJoin('org_policies as p', 'p.policy_id', 'a.policy_id')
      .select(['a.target_id', 'p.policy_id', 'p.arn', 'p.content'])
      .where('a.organization_id', '=', member.organization_id)
      .where('a.target_id', 'in', levels)
      .where('p.policy_type', '=', type)
      .orderBy('a.attached_at')
      .orderBy('p.policy_id')
      .execute();
    return levels.map((level) => rows.filter((r) => r.target_id === level).map((r) => compile(r, type)));
  }

  function chainFor(accountId: string, type: OrgPolicyType): Promise<PolicyChain | undefined> {
    if (!useCache) return load(accountId, type);
    const key = `${type}:${accountId}`;
    let chain = chains.get(key);
    if (chain === undefined) {
      chain = load(accountId, type);
      chains.set(key, chain);
      // A failed load is not remembered.
      chain.catch(() => chains.delete(key));
    }
    return chain;
  }

  return {
    scpChainFor: (accountId) => chainFor(accountId, 'SERVICE_CONTROL_POLICY'),
    rcpChainFor: (accountId) => chainFor(accountId, 'RESOURCE_CONTROL_POLICY'),
    invalidate(accountIds) {
      if (accountIds === undefined) {
        chains.clear();
        return;
      }
      for (const id of accountIds) {
        chains.delete(`SERVICE_CONTROL_POLICY:${id}`);
        chains.delete(`RESOURCE_CONTROL_POLICY:${id}`);
      }
    },
  };
}
