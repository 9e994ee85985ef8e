/**
 * A synchronous in-process view of "which organization is this account in, who manages it, and what type is
 * this policy": what an operation's `access()` needs to spell AWS's resource ARNs before its handler runs
 * (access() cannot query the store). The domain keeps it current on every write it makes and refreshes it
 * from the store on reads, so another instance's writes show up after one call.
 */
import type { OrgPolicyType } from '../store/tables/organizations.js';

export interface OrgRef {
  organizationId: string;
  managementAccountId: string;
}

export class OrgDirectory {
  private readonly byAccount = new Map<string, OrgRef>();
  private readonly policyTypes = new Map<string, OrgPolicyType>();

  /** The caller's organization, when this process knows it. */
  organizationOf(accountId: string): OrgRef | undefined {
    return this.byAccount.get(accountId);
  }

  policyType(policyId: string): OrgPolicyType | undefined {
    return this.policyTypes.get(policyId);
  }

  setMember(accountId: string, ref: OrgRef | undefined): void {
    if (ref) this.byAccount.set(accountId, ref);
    else this.byAccount.delete(accountId);
  }

  setPolicy(policyId: string, type: OrgPolicyType | undefined): void {
    if (type) this.policyTypes.set(policyId, type);
    else this.policyTypes.delete(policyId);
  }

  forgetOrganization(organizationId: string): void {
    for (const [account, ref] of this.byAccount) {
      if (ref.organizationId === organizationId) this.byAccount.delete(account);
    }
  }
}
