/**
 * AWS Organizations' ids and ARNs. Random parts are lowercase hex (a subset of the `[a-z0-9]` AWS uses),
 * drawn from the injected IdSource.
 */
import type { IdSource } from '../platform/ids.js';
import type { OrgPolicyType } from '../store/tables/organizations.js';

const hex = (ids: IdSource, length: number) =>
  ids
    .bytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);

export const newOrganizationId = (ids: IdSource) => `o-${hex(ids, 10)}`;
export const newRootId = (ids: IdSource) => `r-${hex(ids, 4)}`;
/** OU ids carry their root's suffix: `ou-<root>-<8 chars>`. */
export const newOuId = (ids: IdSource, rootId: string) => `ou-${rootId.slice(2)}-${hex(ids, 8)}`;
export const newPolicyId = (ids: IdSource) => `p-${hex(ids, 8)}`;
export const newHandshakeId = (ids: IdSource) => `h-${hex(ids, 16)}`;
export const newResourcePolicyId = (ids: IdSource) => `rp-${hex(ids, 8)}`;
export const newCreateAccountRequestId = (ids: IdSource) => `car-${hex(ids, 32)}`;

export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
export const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
export const ACCOUNT_ID = /^\d{12}$/;
export const POLICY_ID = /^p-[0-9a-zA-Z_]{8,128}$/;
/** The organization's resource policy (the model's TaggableResourceId admits it). */
export const RESOURCE_POLICY_ID = /^rp-[0-9a-zA-Z_]{4,128}$/;
export const HANDSHAKE_ID = /^h-[0-9a-z]{8,32}$/;
export const CREATE_ACCOUNT_REQUEST_ID = /^car-[a-z0-9]{8,32}$/;

const base = (managementAccountId: string) => `arn:aws:organizations::${managementAccountId}`;

export const organizationArn = (mgmt: string, orgId: string) => `${base(mgmt)}:organization/${orgId}`;
export const rootArn = (mgmt: string, orgId: string, rootId: string) => `${base(mgmt)}:root/${orgId}/${rootId}`;
export const ouArn = (mgmt: string, orgId: string, ouId: string) => `${base(mgmt)}:ou/${orgId}/${ouId}`;
export const accountArn = (mgmt: string, orgId: string, accountId: string) =>
  `${base(mgmt)}:account/${orgId}/${accountId}`;
export const policyArn = (mgmt: string, orgId: string, type: OrgPolicyType, policyId: string) =>
  `${base(mgmt)}:policy/${orgId}/${type.toLowerCase()}/${policyId}`;
/** `…:handshake/o-…/<action, lower-case>/h-…`, as the Service Authorization Reference spells it. */
export const handshakeArn = (mgmt: string, orgId: string, action: string, handshakeId: string) =>
  `${base(mgmt)}:handshake/${orgId}/${action.toLowerCase()}/${handshakeId}`;
export const resourcePolicyArn = (mgmt: string, orgId: string, policyId: string) =>
  `${base(mgmt)}:resourcepolicy/${orgId}/${policyId}`;
