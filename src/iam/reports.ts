/**
 * Account-wide views: the credential report (CSV, AWS's columns), GetAccountAuthorizationDetails and
 * GetAccountSummary.
 */
import type { UserOverview } from '../contracts/wire/bursar.js';
import { reportExpired, reportNotPresent } from './errors.js';
import type { IamContext } from './context.js';
import type { EntityType } from './records.js';
import { AWS_MANAGED, groupShape, policyShape, roleShape, userShape } from './records.js';
import type { PolicyService } from './policies.js';
import { ACCESS_KEYS_PER_USER } from './access-keys.js';
import { GROUPS_PER_ACCOUNT, GROUPS_PER_USER } from './groups.js';
import { MANAGED_POLICIES_PER_ENTITY } from './entity-policies.js';
import { POLICIES_PER_ACCOUNT, POLICY_VERSIONS_PER_POLICY } from './policies.js';
import { ROLES_PER_ACCOUNT } from './roles.js';
import { INSTANCE_PROFILES_PER_ACCOUNT, instanceProfilesByRole, type InstanceProfile } from './instance-profiles.js';
import { USERS_PER_ACCOUNT } from './users.js';
import { SERVER_CERTIFICATES_PER_ACCOUNT } from './server-certificates.js';
import { SIGNING_CERTIFICATES_PER_USER } from './signing-certificates.js';

/** AWS keeps a credential report four hours; after that GetCredentialReport says it expired. */
const REPORT_LIFETIME_MS = 4 * 60 * 60 * 1000;

const CSV_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
];

/** The report's timestamps: ISO 8601 with an explicit UTC offset, seconds precision. */
function reportTime(iso: string | null | undefined, absent = 'N/A'): string {
  return iso ? iso.replace(/\.\d{3}Z$/, '+00:00') : absent;
}

export class ReportService {
  constructor(
    private readonly ctx: IamContext,
    private readonly services: { policies: PolicyService },
  ) {}

  async generateCredentialReport(accountId: string) {
    const existing = await this.ctx.db
      .selectFrom('iam_credential_reports')
      .select('generated_at')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    const now = this.ctx.clock.now();
    if (existing && now.getTime() - new Date(existing.generated_at).getTime() < REPORT_LIFETIME_MS) {
      return { State: 'COMPLETE', Description: 'Report generation complete.' };
    }
    const content = await this.buildCsv(accountId);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('iam_credential_reports').where('account_id', '=', accountId).execute();
      await trx
        .insertInto('iam_credential_reports')
        .values({ account_id: accountId, generated_at: now.toISOString(), content })
        .execute();
    });
    // AWS answers a call that starts a generation with STARTED, and the next calls with COMPLETE once it is
    // done. Generation is synchronous here, so the report is already there for the next call (and for
    // GetCredentialReport); the answers keep AWS's order, which scripts poll on.
    return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
  }

  async getCredentialReport(accountId: string) {
    const row = await this.ctx.db
      .selectFrom('iam_credential_reports')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw reportNotPresent();
    if (this.ctx.clock.now().getTime() - new Date(row.generated_at).getTime() >= REPORT_LIFETIME_MS) {
      throw reportExpired();
    }
    return {
      Content: Buffer.from(row.content, 'utf8'),
      ReportFormat: 'text/csv',
      GeneratedTime: new Date(row.generated_at),
    };
  }

  /** What the credential report and the users list say of each user: passwords, keys and MFA. */
  private async credentialFacts(accountId: string) {
    const db = this.ctx.db;
    const account = await db
      .selectFrom('iam_accounts')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    const users = await db
      .selectFrom('iam_users')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('name_key')
      .execute();
    const keys = await db
      .selectFrom('iam_access_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute();
    const profiles = await db.selectFrom('iam_login_profiles').selectAll().execute();
    const mfa = await db
      .selectFrom('iam_mfa_devices')
      .select('assigned_to')
      .where('account_id', '=', accountId)
      .where('assigned_to', 'is not', null)
      .execute();
    const withMfa = new Set(mfa.map((m) => m.assigned_to));
    return { account, users, keys, profiles, withMfa };
  }

  /**
   * The console's users list in one answer: each user's groups, console password, MFA, access keys and last
   * activity — what AWS's list shows, which would otherwise take several calls per user.
   */
  async userOverviews(accountId: string): Promise<UserOverview[]> {
    const { users, keys, profiles, withMfa } = await this.credentialFacts(accountId);
    const memberships = users.length
      ? await this.ctx.db
          .selectFrom('iam_group_members')
          .innerJoin('iam_groups', 'iam_groups.group_id', 'iam_group_members.group_id')
          .select(['iam_group_members.user_id', 'iam_groups.name'])
          .where(
            'iam_group_members.user_id',
            'in',
            users.map((u) => u.user_id),
          )
          .orderBy('iam_groups.name_key')
          .execute()
      : [];
    return users.map((user) => {
      const profile = profiles.find((p) => p.user_id === user.user_id);
      const own = keys.filter((k) => k.user_id === user.user_id);
      const uses = [profile ? user.password_last_used : null, ...own.map((k) => k.last_used_date)].filter(
        (d): d is string => typeof d === 'string' && d !== '',
      );
      return {
        UserName: user.name,
        Arn: user.arn,
        CreateDate: user.created_at,
        Groups: memberships.filter((m) => m.user_id === user.user_id).map((m) => m.name),
        PasswordEnabled: profile !== undefined,
        ...(profile ? { PasswordLastChanged: profile.password_last_changed } : {}),
        ...(profile && user.password_last_used ? { PasswordLastUsed: user.password_last_used } : {}),
        MfaActive: withMfa.has(user.user_id),
        AccessKeys: own.map((k) => ({
          AccessKeyId: k.access_key_id,
          Status: k.status,
          CreateDate: k.created_at,
          ...(k.last_used_date ? { LastUsedDate: k.last_used_date } : {}),
        })),
        ...(uses.length > 0 ? { LastActivity: uses.sort().at(-1)! } : {}),
      };
    });
  }

  private async buildCsv(accountId: string): Promise<string> {
    const db = this.ctx.db;
    const { account, users, keys, profiles, withMfa } = await this.credentialFacts(accountId);
    const certificates = await db
      .selectFrom('iam_signing_certificates')
      .select(['user_id', 'status', 'uploaded_at'])
      .where('account_id', '=', accountId)
      .orderBy('uploaded_at')
      .orderBy('certificate_id')
      .execute();
    const certificateCells = (userId: string) => {
      const own = certificates.filter((c) => c.user_id === userId);
      return [0, 1].flatMap((i) => {
        const c = own[i];
        return c ? [String(c.status === 'Active'), reportTime(c.uploaded_at)] : ['false', 'N/A'];
      });
    };
    const keyCells = (owner: string | null) => {
      const own = keys.filter((k) => k.user_id === owner);
      return [0, 1].flatMap((i) => {
        const k = own[i];
        return k
          ? [
              String(k.status === 'Active'),
              reportTime(k.created_at),
              reportTime(k.last_used_date),
              k.last_used_region ?? 'N/A',
              k.last_used_service ?? 'N/A',
            ]
          : ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
      });
    };
    const rows: string[][] = [CSV_COLUMNS];
    rows.push([
      '<root_account>',
      `arn:aws:iam::${accountId}:root`,
      reportTime(account.created_at),
      'not_supported',
      reportTime(account.root_password_last_used, 'no_information'),
      'not_supported',
      'not_supported',
      String(withMfa.has('root')),
      ...keyCells(null),
      'false',
      'N/A',
      'false',
      'N/A',
    ]);
    for (const user of users) {
      const profile = profiles.find((p) => p.user_id === user.user_id);
      rows.push([
        user.name,
        user.arn,
        reportTime(user.created_at),
        String(profile !== undefined),
        profile ? reportTime(user.password_last_used, 'no_information') : 'N/A',
        profile ? reportTime(profile.password_last_changed) : 'N/A',
        'N/A',
        String(withMfa.has(user.user_id)),
        ...keyCells(user.user_id),
        ...certificateCells(user.user_id),
      ]);
    }
    return rows.map((r) => r.join(',')).join('\n');
  }

  /** GetAccountAuthorizationDetails: every user, group, role and (attached or own) managed policy with its documents. */
  async authorizationDetails(accountId: string, filterInput?: unknown) {
    const filter = Array.isArray(filterInput) && filterInput.length > 0 ? new Set(filterInput.map(String)) : undefined;
    const want = (kind: string) => !filter || filter.has(kind);
    const db = this.ctx.db;
    const users = await db
      .selectFrom('iam_users')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('name_key')
      .execute();
    const groups = await db
      .selectFrom('iam_groups')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('name_key')
      .execute();
    const roles = await db
      .selectFrom('iam_roles')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('name_key')
      .execute();
    const profilesOfRoles = want('Role')
      ? await instanceProfilesByRole(db, accountId, roles)
      : new Map<string, InstanceProfile[]>();
    const entityIds = [
      ...users.map((u) => u.user_id),
      ...groups.map((g) => g.group_id),
      ...roles.map((r) => r.role_id),
    ];
    const attachments = entityIds.length
      ? await db
          .selectFrom('iam_policy_attachments')
          .innerJoin('iam_policies', 'iam_policies.policy_id', 'iam_policy_attachments.policy_id')
          .select([
            'entity_type',
            'entity_id',
            'iam_policies.policy_id',
            'iam_policies.name',
            'iam_policies.arn',
            'iam_policies.account_id',
          ])
          .where('entity_id', 'in', entityIds)
          .execute()
      : [];
    const inline = entityIds.length
      ? await db
          .selectFrom('iam_inline_policies')
          .selectAll()
          .where('entity_id', 'in', entityIds)
          .orderBy('name_key')
          .execute()
      : [];
    const members = users.length
      ? await db
          .selectFrom('iam_group_members')
          .selectAll()
          .where(
            'user_id',
            'in',
            users.map((u) => u.user_id),
          )
          .execute()
      : [];
    const tags = await db
      .selectFrom('iam_tags')
      .selectAll()
      .where('resource_id', 'in', [...entityIds, ''])
      .execute();
    const tagsOf = (id: string) =>
      tags.filter((t) => t.resource_id === id).map((t) => ({ Key: t.tag_key, Value: t.tag_value }));
    const attachedTo = (type: EntityType, id: string) =>
      attachments
        .filter((a) => a.entity_type === type && a.entity_id === id)
        .map((a) => ({ PolicyName: a.name, PolicyArn: a.arn }));
    const inlineOf = (type: EntityType, id: string) =>
      inline
        .filter((p) => p.entity_type === type && p.entity_id === id)
        .map((p) => ({ PolicyName: p.name, PolicyDocument: p.document }));
    const groupName = new Map(groups.map((g) => [g.group_id, g.name]));

    const policyRows = await db
      .selectFrom('iam_policies')
      .selectAll()
      .where('account_id', 'in', [accountId, AWS_MANAGED])
      .orderBy('name_key')
      .execute();
    const attachedIds = new Set(attachments.map((a) => a.policy_id));
    const boundaryArns = new Set([...users, ...roles].map((e) => e.permissions_boundary_arn).filter(Boolean));
    const listedPolicies = policyRows.filter((p) =>
      p.account_id === AWS_MANAGED
        ? want('AWSManagedPolicy') && (attachedIds.has(p.policy_id) || boundaryArns.has(p.arn))
        : want('LocalManagedPolicy'),
    );
    const counts = await this.services.policies.usage(
      db,
      accountId,
      listedPolicies.map((p) => p.policy_id),
    );
    const versions = listedPolicies.length
      ? await db
          .selectFrom('iam_policy_versions')
          .selectAll()
          .where(
            'policy_id',
            'in',
            listedPolicies.map((p) => p.policy_id),
          )
          .execute()
      : [];

    return {
      UserDetailList: want('User')
        ? users.map((u) => {
            const { Path, UserName, UserId, Arn, CreateDate, ...rest } = userShape(u);
            return {
              Path,
              UserName,
              UserId,
              Arn,
              CreateDate,
              UserPolicyList: inlineOf('user', u.user_id),
              GroupList: members.filter((m) => m.user_id === u.user_id).map((m) => groupName.get(m.group_id) ?? ''),
              AttachedManagedPolicies: attachedTo('user', u.user_id),
              ...('PermissionsBoundary' in rest ? { PermissionsBoundary: rest.PermissionsBoundary } : {}),
              Tags: tagsOf(u.user_id),
            };
          })
        : [],
      GroupDetailList: want('Group')
        ? groups.map((g) => ({
            ...groupShape(g),
            GroupPolicyList: inlineOf('group', g.group_id),
            AttachedManagedPolicies: attachedTo('group', g.group_id),
          }))
        : [],
      RoleDetailList: want('Role')
        ? roles.map((r) => {
            const shape = roleShape(r, tagsOf(r.role_id));
            return {
              ...shape,
              InstanceProfileList: profilesOfRoles.get(r.role_id) ?? [],
              RolePolicyList: inlineOf('role', r.role_id),
              AttachedManagedPolicies: attachedTo('role', r.role_id),
              Tags: tagsOf(r.role_id),
            };
          })
        : [],
      Policies: listedPolicies.map((p) => {
        const usage = counts.get(p.policy_id);
        return {
          ...policyShape(p, usage?.attachments ?? 0, usage?.boundaries ?? 0),
          PolicyVersionList: versions
            .filter((v) => v.policy_id === p.policy_id)
            .sort((a, b) => Number(b.version_id.slice(1)) - Number(a.version_id.slice(1)))
            .map((v) => ({
              Document: v.document,
              VersionId: v.version_id,
              IsDefaultVersion: v.version_id === p.default_version_id,
              CreateDate: new Date(v.created_at),
            })),
        };
      }),
    };
  }

  /** GetAccountSummary's SummaryMap: usage and AWS's default quotas. */
  async accountSummary(accountId: string): Promise<Record<string, number>> {
    const db = this.ctx.db;
    const count = async (query: Promise<{ count: string | number | bigint }>) => Number((await query).count);
    const countOwned = (
      table:
        | 'iam_users'
        | 'iam_groups'
        | 'iam_roles'
        | 'iam_policies'
        | 'iam_instance_profiles'
        | 'iam_server_certificates'
        | 'iam_oidc_providers'
        | 'iam_saml_providers',
    ) =>
      count(
        db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .where('account_id', '=', accountId)
          .executeTakeFirstOrThrow(),
      );
    const users = await countOwned('iam_users');
    const groups = await countOwned('iam_groups');
    const roles = await countOwned('iam_roles');
    const policies = await countOwned('iam_policies');
    const instanceProfiles = await countOwned('iam_instance_profiles');
    const serverCertificates = await countOwned('iam_server_certificates');
    const providers = (await countOwned('iam_oidc_providers')) + (await countOwned('iam_saml_providers'));
    const versionsInUse = await count(
      db
        .selectFrom('iam_policy_versions')
        .innerJoin('iam_policies', 'iam_policies.policy_id', 'iam_policy_versions.policy_id')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('iam_policies.account_id', '=', accountId)
        .executeTakeFirstOrThrow(),
    );
    const devices = await db
      .selectFrom('iam_mfa_devices')
      .select('assigned_to')
      .where('account_id', '=', accountId)
      .execute();
    const rootKeys = await db
      .selectFrom('iam_access_keys')
      .select('access_key_id')
      .where('account_id', '=', accountId)
      .where('user_id', 'is', null)
      .execute();
    const account = await db
      .selectFrom('iam_accounts')
      .select('global_endpoint_token_version')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return {
      Users: users,
      UsersQuota: USERS_PER_ACCOUNT,
      Groups: groups,
      GroupsQuota: GROUPS_PER_ACCOUNT,
      Roles: roles,
      RolesQuota: ROLES_PER_ACCOUNT,
      Policies: policies,
      PoliciesQuota: POLICIES_PER_ACCOUNT,
      PolicyVersionsInUse: versionsInUse,
      PolicyVersionsInUseQuota: 10000,
      VersionsPerPolicyQuota: POLICY_VERSIONS_PER_POLICY,
      ServerCertificates: serverCertificates,
      ServerCertificatesQuota: SERVER_CERTIFICATES_PER_ACCOUNT,
      UserPolicySizeQuota: 2048,
      GroupPolicySizeQuota: 5120,
      RolePolicySizeQuota: 10240,
      PolicySizeQuota: 6144,
      AssumeRolePolicySizeQuota: 2048,
      GroupsPerUserQuota: GROUPS_PER_USER,
      SigningCertificatesPerUserQuota: SIGNING_CERTIFICATES_PER_USER,
      AccessKeysPerUserQuota: ACCESS_KEYS_PER_USER,
      AttachedPoliciesPerUserQuota: MANAGED_POLICIES_PER_ENTITY,
      AttachedPoliciesPerGroupQuota: MANAGED_POLICIES_PER_ENTITY,
      AttachedPoliciesPerRoleQuota: MANAGED_POLICIES_PER_ENTITY,
      MFADevices: devices.length,
      MFADevicesInUse: devices.filter((d) => d.assigned_to !== null).length,
      AccountMFAEnabled: devices.some((d) => d.assigned_to === 'root') ? 1 : 0,
      AccountAccessKeysPresent: rootKeys.length > 0 ? 1 : 0,
      AccountSigningCertificatesPresent: 0,
      InstanceProfiles: instanceProfiles,
      InstanceProfilesQuota: INSTANCE_PROFILES_PER_ACCOUNT,
      Providers: providers,
      GlobalEndpointTokenVersion: account?.global_endpoint_token_version ?? 1,
    };
  }
}
