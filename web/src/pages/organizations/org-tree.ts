/** The organization as the console draws it: the root, its OUs and accounts, read with the AWS list calls. */
import { ApiError } from '../../client/api';
import { organizationsApi, type OrgAccount, type Organization, type OrgRoot } from '../../client/operations';

export interface OrgNode {
  kind: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
  id: string;
  name: string;
  /** The parent's id (`r-…` or `ou-…`); none for the root. */
  parentId?: string;
  account?: OrgAccount;
  children: OrgNode[];
}

export interface OrgView {
  organization: Organization;
  root: OrgRoot;
  tree: OrgNode;
}

async function childrenOf(parentId: string): Promise<OrgNode[]> {
  const [units, accounts] = await Promise.all([
    organizationsApi.listOrganizationalUnitsForParent(parentId),
    organizationsApi.listAccountsForParent(parentId),
  ]);
  const ouNodes = await Promise.all(
    units.map(async (ou): Promise<OrgNode> => ({
      kind: 'ORGANIZATIONAL_UNIT',
      id: ou.Id,
      name: ou.Name,
      parentId,
      children: await childrenOf(ou.Id),
    })),
  );
  const accountNodes = accounts.map((a): OrgNode => ({
    kind: 'ACCOUNT',
    id: a.Id,
    name: a.Name,
    parentId,
    account: a,
    children: [],
  }));
  return [...ouNodes, ...accountNodes];
}

/** The caller's organization; `null` when the account is in none (AWS answers AWSOrganizationsNotInUseException). */
export async function describeOrganizationOrNone(): Promise<Organization | null> {
  try {
    return await organizationsApi.describeOrganization();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'AWSOrganizationsNotInUseException') return null;
    throw error;
  }
}

/**
 * The caller's organization and its tree; `null` when the account is in none. A member account's caller
 * gets AWS's refusal from ListRoots: only the management account sees the structure.
 */
export async function loadOrganization(): Promise<OrgView | null> {
  const organization = await describeOrganizationOrNone();
  if (organization === null) return null;
  const [root] = await organizationsApi.listRoots();
  if (root === undefined) throw new ApiError(500, 'InternalFailure', 'The organization has no root.');
  return {
    organization,
    root,
    tree: { kind: 'ROOT', id: root.Id, name: root.Name, children: await childrenOf(root.Id) },
  };
}

/** Every node of the tree, depth first (root first), for pickers. */
export function flatten(node: OrgNode): OrgNode[] {
  return [node, ...node.children.flatMap(flatten)];
}

export const KIND_LABEL: Record<OrgNode['kind'], string> = {
  ROOT: 'Root',
  ORGANIZATIONAL_UNIT: 'Organizational unit',
  ACCOUNT: 'Account',
};
