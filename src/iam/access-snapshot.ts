/**
 * An account's IAM as the access matrix reads it: every user (with its groups and tags), group and role, each
 * one's attached managed policies and inline policies, and the default version of every policy they reach —
 * read in a handful of queries, so a matrix over a thousand principals does not query per principal.
 *
 * A snapshot is plain data. A proposed change (attach or detach a policy, add a user to a group, a new default
 * policy version…) is applied to a copy (`applyChange`), never to the store, so the matrix before and after a
 * change is a dry run.
 */
import type { Kysely } from 'kysely';
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

/** The account's snapshot; `extraPolicies` also loads these policies (one a change would attach). */
export async function loadSnapshot(
  db: Kysely<Database>,
  accountId: string,
  extraPolicies: readonly string[] = [],
): Promise<AccountSnapshot> {
  const [users, groups, roles] = await Promise.all([
    db
      .selectFrom('iam_users')
      .select(['user_id as id', 'name', 'arn', 'permissions_boundary_arn as boundary'])
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('iam_groups')
      .select(['group_id as id', 'name', 'arn'])
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('iam_roles')
      .select(['role_id as id', 'name', 'arn', 'permissions_boundary_arn as boundary', 'assume_role_policy'])
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute(),
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
  const ids = [...byId.keys()];
  const chunks: string[][] = [];
  // Bound the IN lists: SQLite and PostgreSQL both cap the parameters of one statement.
  for (let i = 0; i < ids.length; i += 500) chunks.push(ids.slice(i, i + 500));
  for (const chunk of chunks) {
    const [members, attached, inline, tags] = await Promise.all([
      db.selectFrom('iam_group_members').select(['user_id', 'group_id']).where('user_id', 'in', chunk).execute(),
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
    for (const m of members) byId.get(m.user_id)?.groups.push(m.group_id);
    for (const a of attached) byId.get(a.entity_id)?.managed.push(a.arn);
    for (const p of inline) byId.get(p.entity_id)?.inline.push({ name: p.name, document: p.document });
    for (const t of tags) {
      const owner = byId.get(t.resource_id);
      if (owner !== undefined) owner.tags[t.tag_key] = t.tag_value;
    }
  }
  const reached = new Set(extraPolicies);
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
  for (const row of await documents.where('iam_policies.account_id', '=', accountId).execute()) {
    snapshot.policies.set(row.arn, row.document);
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

/**
 * The snapshot with only the users and roles a change can reach (the root user stays: the analysis always
 * lists it), so recording a change to one group costs its members, not the account.
 */
export function narrowTo(snapshot: AccountSnapshot, reach: ChangeReach): AccountSnapshot {
  const same = (a: string, b: string | undefined) => b !== undefined && a.toLowerCase() === b.toLowerCase();
  const group = snapshot.groups.find((g) => same(g.name, reach.groupName));
  return {
    ...snapshot,
    users: snapshot.users.filter((u) =>
      reach.userName !== undefined ? same(u.name, reach.userName) : group !== undefined && u.groups.includes(group.id),
    ),
    roles: snapshot.roles.filter((r) => same(r.name, reach.roleName)),
  };
}
