/**
 * AWS's managed Organizations policies, as data. Every organization shares them (same ids, same ARNs),
 * and AWS attaches them to each root, OU and account while their policy type is enabled.
 */
import type { OrgPolicyType } from '../store/tables/organizations.js';

export interface ManagedOrgPolicy {
  id: string;
  type: OrgPolicyType;
  name: string;
  description: string;
  arn: string;
  content: string;
}

export const FULL_AWS_ACCESS: ManagedOrgPolicy = {
  id: 'p-FullAWSAccess',
  type: 'SERVICE_CONTROL_POLICY',
  name: 'FullAWSAccess',
  description: 'Allows access to every operation',
  arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
  content: JSON.stringify(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    null,
    4,
  ),
};

export const RCP_FULL_AWS_ACCESS: ManagedOrgPolicy = {
  id: 'p-RCPFullAWSAccess',
  type: 'RESOURCE_CONTROL_POLICY',
  name: 'RCPFullAWSAccess',
  description: 'Allows access to every operation',
  arn: 'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess',
  content: JSON.stringify(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] },
    null,
    4,
  ),
};

/**
 * The default policy of each authorization type: attached everywhere on enable, and to each new OU and
 * account. Management policy types (tag, backup, AI services opt-out) have none.
 */
export const DEFAULT_POLICY: Partial<Record<OrgPolicyType, ManagedOrgPolicy>> & {
  SERVICE_CONTROL_POLICY: ManagedOrgPolicy;
  RESOURCE_CONTROL_POLICY: ManagedOrgPolicy;
} = {
  SERVICE_CONTROL_POLICY: FULL_AWS_ACCESS,
  RESOURCE_CONTROL_POLICY: RCP_FULL_AWS_ACCESS,
};
