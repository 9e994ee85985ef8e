/**
 * An account's IAM as the access matrix reads it: every user (with its groups and tags), group and role, each
 * one's attached managed policies and inline policies, and the default version of every policy they reach —
 * read in a handful of queries, so a matrix over a thousand principals does not query per principal.
 *
 * A snapshot is plain data. A proposed change (attach or detach a policy, add a user to a group, a new default
 * policy version…) is applied to a copy (`applyChange`), never to the store, so the matrix before and after a
 * change is a dry run.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { noSuchEntity } from './errors.js';

export type SnapshotEntityType = 'user' | 'group' | 'role';

export interface SnapshotInline {
  name: string;
  document: string;
}

export interface SnapshotEntity {
  type: SnapshotEntityType;
  id: string;
  name: string;
  arn: string;
  /** ARNs of the attached managed policies. */
  managed: string[];
  inline: SnapshotInline[];
  boundaryArn?: string;
  tags: Record<string, string>;
  /** A user's groups (ids). */
  groups: string[];
  /** A role's trust policy. */
  trustPolicy?: string;
}

export interface AccountSnapshot {
  accountId: string;
  users: SnapshotEntity[];
  groups: SnapshotEntity[];
  roles: SnapshotEntity[];
  /** The default version's document of every policy of the account, and of every policy its entities reach. */
  policies: Map<string, string>;
}

/** A change whose effect on access can be previewed (PreviewAccessChange) and recorded (the audit trail). */
export type AccessChange =
  | { kind: 'attach-policy' | 'detach-policy'; entityType: SnapshotEntityType; entityName: string; policyArn: string }
  | { kind: 'add-user-to-group' | 'remove-user-from-group'; userName: string; groupName: string }
  | { kind: 'policy-version'; policyArn: string; document: string };

/**
 * The account's snapshot. `extraPolicies`: also these policies (one a change would attach). `reach`: only the
 * users and roles a change can reach, and only the policies they reach (recording a change to one group reads
 * its members, not the account).
 */
export async function loadSnapshot(
  db: Kysely<Database>,
  accountId: string,
  options: { extraPolicies?: readonly string[]; reach?: ChangeReach } = {},
): Promise<AccountSnapshot> {
  const { reach } = options;
  let usersQuery = db
    .selectFrom('iam_users')
    .select([
      'iam_users.user_id as id',
      'iam_users.name',
      'iam_users.arn',
      'iam_users.permissions_boundary_arn as boundary',
    ])
    .where('iam_users.account_id', '=', accountId);
  let rolesQuery = db
    .selectFrom('iam_roles')
    .select(['role_id as id', 'name', 'arn', 'permissions_boundary_arn as boundary', 'assume_role_policy'])
    .where('account_id', '=', accountId);
  if (reach !== undefined) {
    if (reach.userName !== undefined) {
      usersQuery = usersQuery.where('iam_users.name_key', '=', reach.userName.toLowerCase());
    } else if (reach.groupName !== undefined) {
      const members = db
        .selectFrom('iam_group_members')
        .innerJoin('iam_groups', 'iam_groups.group_id', 'iam_group_members.group_id')
        .select('iam_group_members.user_id')
        .where('iam_groups.account_id', '=', accountId)
        .where('iam_groups.name_key', '=', reach.groupName.toLowerCase());
      usersQuery = usersQuery.where('iam_users.user_id', 'in', members);
    } else {
      usersQuery = usersQuery.where(sql<boolean>`1 = 0`);
    }
    rolesQuery =
      reach.roleName === undefined
        ? rolesQuery.where(sql<boolean>`1 = 0`)
        : rolesQuery.where('name_key', '=', reach.roleName.toLowerCase());
  }
  const [users, groups, roles] = await Promise.all([
    usersQuery.orderBy('iam_users.name').execute(),
    db
      .selectFrom('iam_groups')
      .select(['group_id as id', 'name', 'arn'])
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute(),
    rolesQuery.orderBy('name').execute(),
  ]);
  const entity = (type: SnapshotEntityType, row: { id: string; name: string; arn: string; boundary?: string | null }) =>
    ({
      type,
      id: row.id,
      name: row.name,
      arn: row.arn,
      managed: [],
      inline: [],
      ...(row.boundary ? { boundaryArn: row.boundary } : {}),
      tags: {},
      groups: [],
    }) satisfies SnapshotEntity as SnapshotEntity;
  const snapshot: AccountSnapshot = {
    accountId,
    users: users.map((u) => entity('user', u)),
    groups: groups.map((g) => entity('group', g)),
    roles: roles.map((r) => ({ ...entity('role', r), trustPolicy: r.assume_role_policy })),
    policies: new Map(),
  };
  const byId = new Map([...snapshot.users, ...snapshot.groups, ...snapshot.roles].map((e) => [e.id, e]));
  // A user's groups' policies are read with the user's own; groups nobody reached are left unread.
  const memberships = await readMemberships(db, [...snapshot.users.map((u) => u.id)]);
  for (const m of memberships) byId.get(m.user_id)?.groups.push(m.group_id);
  const reachedGroups = new Set(memberships.map((m) => m.group_id));
  const ids = [
    ...snapshot.users.map((u) => u.id),
    ...snapshot.roles.map((r) => r.id),
    ...snapshot.groups.filter((g) => reach === undefined || reachedGroups.has(g.id)).map((g) => g.id),
  ];
  const chunks: string[][] = [];
  // Bound the IN lists: SQLite and PostgreSQL both cap the parameters of one statement.
  for (let i = 0; i < ids.length; i += 500) chunks.push(ids.slice(i, i + 500));
  for (const chunk of chunks) {
    const [attached, inline, tags] = await Promise.all([
      db
        .selectFrom('iam_policy_attachments')
        .innerJoin('iam_policies', 'iam_policies.policy_id', 'iam_policy_attachments.policy_id')
        .select(['iam_policy_attachments.entity_id', 'iam_policies.arn'])
        .where('iam_policy_attachments.entity_id', 'in', chunk)
        .execute(),
      db
        .selectFrom('iam_inline_policies')
        .select(['entity_id', 'name', 'document'])
        .where('entity_id', 'in', chunk)
        .orderBy('name_key')
        .execute(),
      db
        .selectFrom('iam_tags')
        .select(['resource_id', 'tag_key', 'tag_value'])
        .where('resource_type', 'in', ['user', 'role'])
        .where('resource_id', 'in', chunk)
        .execute(),
    ]);
    for (const a of attached) byId.get(a.entity_id)?.managed.push(a.arn);
    for (const p of inline) byId.get(p.entity_id)?.inline.push({ name: p.name, document: p.document });
    for (const t of tags) {
      const owner = byId.get(t.resource_id);
      if (owner !== undefined) owner.tags[t.tag_key] = t.tag_value;
    }
  }
  const reached = new Set(options.extraPolicies ?? []);
  for (const e of byId.values()) {
    e.managed.sort();
    for (const arn of e.managed) reached.add(arn);
    if (e.boundaryArn !== undefined) reached.add(e.boundaryArn);
  }
  const documents = db
    .selectFrom('iam_policies')
    .innerJoin('iam_policy_versions', (j) =>
      j
        .onRef('iam_policy_versions.policy_id', '=', 'iam_policies.policy_id')
        .onRef('iam_policy_versions.version_id', '=', 'iam_policies.default_version_id'),
    )
    .select(['iam_policies.arn', 'iam_policy_versions.document']);
  if (reach === undefined) {
    for (const row of await documents.where('iam_policies.account_id', '=', accountId).execute()) {
      snapshot.policies.set(row.arn, row.document);
    }
  }
  const others = [...reached].filter((arn) => !snapshot.policies.has(arn));
  for (let i = 0; i < others.length; i += 500) {
    for (const row of await documents.where('iam_policies.arn', 'in', others.slice(i, i + 500)).execute()) {
      snapshot.policies.set(row.arn, row.document);
    }
  }
  return snapshot;
}

/** A copy of the snapshot with the change applied (the original is left as it was). */
export function applyChange(snapshot: AccountSnapshot, change: AccessChange): AccountSnapshot {
  const copy = (e: SnapshotEntity): SnapshotEntity => ({ ...e, managed: [...e.managed], groups: [...e.groups] });
  const next: AccountSnapshot = {
    accountId: snapshot.accountId,
    users: snapshot.users.map(copy),
    groups: snapshot.groups.map(copy),
    roles: snapshot.roles.map(copy),
    policies: new Map(snapshot.policies),
  };
  const find = (type: SnapshotEntityType, name: string): SnapshotEntity => {
    const list = type === 'user' ? next.users : type === 'group' ? next.groups : next.roles;
    // IAM names are unique case-insensitively.
    const found = list.find((e) => e.name.toLowerCase() === name.toLowerCase());
    if (found === undefined) throw noSuchEntity(`The ${type} with name ${name} cannot be found.`);
    return found;
  };
  const policy = (arn: string) => {
    if (!next.policies.has(arn)) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  };
  switch (change.kind) {
    case 'attach-policy': {
      policy(change.policyArn);
      const e = find(change.entityType, change.entityName);
      if (!e.managed.includes(change.policyArn)) e.managed = [...e.managed, change.policyArn].sort();
      break;
    }
    case 'detach-policy': {
      const e = find(change.entityType, change.entityName);
      e.managed = e.managed.filter((arn) => arn !== change.policyArn);
      break;
    }
    case 'add-user-to-group': {
      const user = find('user', change.userName);
      const group = find('group', change.groupName);
      if (!user.groups.includes(group.id)) user.groups.push(group.id);
      break;
    }
    case 'remove-user-from-group': {
      const user = find('user', change.userName);
      const group = find('group', change.groupName);
      user.groups = user.groups.filter((id) => id !== group.id);
      break;
    }
    case 'policy-version':
      policy(change.policyArn);
      next.policies.set(change.policyArn, change.document);
      break;
  }
  return next;
}

/** Which principals a change can reach: a user, a group's members, a role (undefined: any principal). */
export interface ChangeReach {
  userName?: string;
  groupName?: string;
  roleName?: string;
}

/** The group memberships of these users, in bounded IN lists. */
async function readMemberships(db: Kysely<Database>, userIds: readonly string[]) {
  const rows: { user_id: string; group_id: string }[] = [];
  for (let i = 0; i < userIds.length; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('iam_group_members')
        .select(['user_id', 'group_id'])
        .where('user_id', 'in', userIds.slice(i, i + 500))
        .execute()),
    );
  }
  return rows;
}
