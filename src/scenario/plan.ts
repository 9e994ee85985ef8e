/**
 * The plan: what to call to turn the account's current state (state.ts) into the scenario, in an order the
 * APIs accept (policies before attachments, groups before memberships, detach before delete). A named entity
 * gets exactly what the file gives it: an attachment, membership, inline policy or tag the file leaves out is
 * removed. Entities the file does not name are left alone unless `prune` is set.
 */
import * as B from '@aws-sdk/client-budgets';
import * as I from '@aws-sdk/client-iam';
import * as O from '@aws-sdk/client-organizations';
import { HOTP, Secret } from 'otpauth';
import type { PolicyDocument, Scenario, ScenarioRole, ScenarioUser } from './scenario.js';
import { canonical, normalise, normaliseAmount, type AccountState, type Facts } from './state.js';
import type { Clients } from './target.js';
import { cryptoIdSource, type IdSource } from '../platform/ids.js';

export interface Step {
  /** `+` create, `~` change, `-` delete; then what, e.g. `+ user FinanceUser`. */
  summary: string;
  run: () => Promise<void>;
}

export interface PlanOptions {
  prune?: boolean;
  /** Where a generated console password is reported (shown once). */
  onPassword?: (user: string, password: string) => void;
  /** Where a generated password's randomness comes from (a seeded source in tests). */
  ids?: IdSource;
}

const SCP = 'SERVICE_CONTROL_POLICY';
const json = (document: PolicyDocument) => JSON.stringify(document);
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const missing = (want: string[] | undefined, have: string[] | undefined) =>
  (want ?? []).filter((x) => !(have ?? []).includes(x));

/** A generated console password that meets AWS's default password policy. */
function generatedPassword(ids: IdSource): string {
  return `${ids.bytes(12).toString('base64url')}-Aa1!`;
}

export function plan(
  desiredFile: Scenario,
  current: AccountState,
  clients: Clients,
  options: PlanOptions = {},
): Step[] {
  const { facts } = current;
  const have = current.scenario;
  const want = normalise(desiredFile, facts.accountId);
  const iam = clients.iam;
  const steps: Step[] = [];
  const step = (summary: string, run: () => Promise<unknown>) =>
    steps.push({
      summary,
      run: async () => {
        await run();
      },
    });
  const account = facts.accountId;
  const wantPolicies = new Map((want.policies ?? []).map((p) => [p.name, p]));
  /** A policy reference's ARN: this file's policies by their (maybe new) path, then the account's. */
  const arnOf = (ref: string) => {
    if (ref.startsWith('arn:')) return ref;
    const known = facts.policies.get(ref);
    if (known !== undefined) return known.arn;
    return `arn:aws:iam::${account}:policy${wantPolicies.get(ref)?.path ?? '/'}${ref}`;
  };

  // 1. The Billing console's settings (Bursar only: AWS has no API for them, and readState reads none there).
  if (
    have.billing !== undefined &&
    want.billing?.iamAccess !== undefined &&
    want.billing.iamAccess !== have.billing?.iamAccess
  ) {
    const value = want.billing.iamAccess ? 'ALLOW' : 'DENY';
    step(`~ billing: IAM user and role access to Billing information ${value}`, () =>
      clients.billing('UpdateIAMAccessPreference', { IamUserAccessToBilling: value }),
    );
  }

  if (
    have.billing !== undefined &&
    want.billing?.actionSet !== undefined &&
    want.billing.actionSet !== have.billing.actionSet
  ) {
    const value = want.billing.actionSet === 'fine-grained' ? 'FINE_GRAINED' : 'EXISTING';
    step(`~ billing: console action set ${want.billing.actionSet}`, () =>
      clients.portal('UpdateConsoleActionSetEnforced', { ConsoleActionSet: value }),
    );
  }

  // 2. The organization.
  if (want.organization !== undefined) organizationSteps(want, have, facts, clients, step, options.prune === true);

  // 3. Customer-managed policies.
  for (const p of want.policies ?? []) {
    const old = have.policies?.find((h) => h.name === p.name);
    if (old === undefined) {
      step(`+ policy ${p.name}`, () =>
        iam.send(
          new I.CreatePolicyCommand({
            PolicyName: p.name,
            PolicyDocument: json(p.document!),
            ...(p.path === undefined ? {} : { Path: p.path }),
            ...(p.description === undefined ? {} : { Description: p.description }),
          }),
        ),
      );
    } else if (!same(old.document, p.document)) {
      const known = facts.policies.get(p.name)!;
      step(`~ policy ${p.name}: new default version`, async () => {
        // A policy keeps at most five versions: the oldest non-default one makes room.
        if (known.versions.length >= 5) {
          const oldest = known.versions
            .filter((v) => v !== known.defaultVersion)
            .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))[0]!;
          await iam.send(new I.DeletePolicyVersionCommand({ PolicyArn: known.arn, VersionId: oldest }));
        }
        await iam.send(
          new I.CreatePolicyVersionCommand({
            PolicyArn: known.arn,
            PolicyDocument: json(p.document!),
            SetAsDefault: true,
          }),
        );
      });
    }
  }

  // 4–6. Groups, users, roles: create, then make what they carry match.
  type Kind = 'group' | 'user' | 'role';
  const carried = (
    kind: Kind,
    name: string,
    w: ScenarioUser | ScenarioRole,
    h: ScenarioUser | ScenarioRole | undefined,
  ) => {
    const Name = { group: { GroupName: name }, user: { UserName: name }, role: { RoleName: name } }[kind];
    for (const ref of missing(w.policies, h?.policies)) {
      step(`~ ${kind} ${name}: attach ${ref}`, () => {
        const PolicyArn = arnOf(ref);
        if (kind === 'group') return iam.send(new I.AttachGroupPolicyCommand({ GroupName: name, PolicyArn }));
        if (kind === 'user') return iam.send(new I.AttachUserPolicyCommand({ UserName: name, PolicyArn }));
        return iam.send(new I.AttachRolePolicyCommand({ RoleName: name, PolicyArn }));
      });
    }
    for (const ref of missing(h?.policies, w.policies)) {
      step(`~ ${kind} ${name}: detach ${ref}`, () => {
        const PolicyArn = arnOf(ref);
        if (kind === 'group') return iam.send(new I.DetachGroupPolicyCommand({ GroupName: name, PolicyArn }));
        if (kind === 'user') return iam.send(new I.DetachUserPolicyCommand({ UserName: name, PolicyArn }));
        return iam.send(new I.DetachRolePolicyCommand({ RoleName: name, PolicyArn }));
      });
    }
    for (const [policy, document] of Object.entries(w.inlinePolicies ?? {})) {
      const old = h?.inlinePolicies?.[policy];
      if (old !== undefined && same(old, document)) continue;
      step(`~ ${kind} ${name}: ${old === undefined ? 'add' : 'change'} inline policy ${policy}`, () => {
        const input = { ...Name, PolicyName: policy, PolicyDocument: json(document) };
        if (kind === 'group') return iam.send(new I.PutGroupPolicyCommand(input as I.PutGroupPolicyRequest));
        if (kind === 'user') return iam.send(new I.PutUserPolicyCommand(input as I.PutUserPolicyRequest));
        return iam.send(new I.PutRolePolicyCommand(input as I.PutRolePolicyRequest));
      });
    }
    for (const policy of Object.keys(h?.inlinePolicies ?? {})) {
      if (w.inlinePolicies?.[policy] !== undefined) continue;
      step(`~ ${kind} ${name}: delete inline policy ${policy}`, () => {
        const input = { ...Name, PolicyName: policy };
        if (kind === 'group') return iam.send(new I.DeleteGroupPolicyCommand(input as I.DeleteGroupPolicyRequest));
        if (kind === 'user') return iam.send(new I.DeleteUserPolicyCommand(input as I.DeleteUserPolicyRequest));
        return iam.send(new I.DeleteRolePolicyCommand(input as I.DeleteRolePolicyRequest));
      });
    }
    if (kind === 'group') return;
    if (w.boundary !== undefined && w.boundary !== h?.boundary) {
      step(`~ ${kind} ${name}: permissions boundary ${w.boundary}`, () =>
        kind === 'user'
          ? iam.send(
              new I.PutUserPermissionsBoundaryCommand({ UserName: name, PermissionsBoundary: arnOf(w.boundary!) }),
            )
          : iam.send(
              new I.PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: arnOf(w.boundary!) }),
            ),
      );
    } else if (w.boundary === undefined && h?.boundary !== undefined) {
      step(`~ ${kind} ${name}: remove the permissions boundary`, () =>
        kind === 'user'
          ? iam.send(new I.DeleteUserPermissionsBoundaryCommand({ UserName: name }))
          : iam.send(new I.DeleteRolePermissionsBoundaryCommand({ RoleName: name })),
      );
    }
    const tags = Object.entries(w.tags ?? {}).filter(([k, v]) => h?.tags?.[k] !== v);
    if (tags.length > 0 && h !== undefined) {
      const Tags = tags.map(([Key, Value]) => ({ Key, Value }));
      step(`~ ${kind} ${name}: tags ${tags.map(([k]) => k).join(', ')}`, () =>
        kind === 'user'
          ? iam.send(new I.TagUserCommand({ UserName: name, Tags }))
          : iam.send(new I.TagRoleCommand({ RoleName: name, Tags })),
      );
    }
    const untag = Object.keys(h?.tags ?? {}).filter((k) => w.tags?.[k] === undefined);
    if (untag.length > 0) {
      step(`~ ${kind} ${name}: remove tags ${untag.join(', ')}`, () =>
        kind === 'user'
          ? iam.send(new I.UntagUserCommand({ UserName: name, TagKeys: untag }))
          : iam.send(new I.UntagRoleCommand({ RoleName: name, TagKeys: untag })),
      );
    }
  };

  for (const g of want.groups ?? []) {
    const old = have.groups?.find((h) => h.name === g.name);
    if (old === undefined) {
      step(`+ group ${g.name}`, () =>
        iam.send(new I.CreateGroupCommand({ GroupName: g.name, ...(g.path === undefined ? {} : { Path: g.path }) })),
      );
    }
    carried('group', g.name, g, old);
  }

  for (const u of want.users ?? []) {
    const old = have.users?.find((h) => h.name === u.name);
    if (old === undefined) {
      const Tags = Object.entries(u.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
      step(`+ user ${u.name}`, () =>
        iam.send(
          new I.CreateUserCommand({
            UserName: u.name,
            ...(u.path === undefined ? {} : { Path: u.path }),
            ...(Tags.length === 0 ? {} : { Tags }),
          }),
        ),
      );
    }
    if (u.console && !old?.console) {
      step(`~ user ${u.name}: console password`, async () => {
        const given = typeof u.console === 'object' ? u.console : undefined;
        const password = given?.password ?? generatedPassword(options.ids ?? cryptoIdSource);
        await iam.send(
          new I.CreateLoginProfileCommand({
            UserName: u.name,
            Password: password,
            PasswordResetRequired: given?.passwordResetRequired ?? given === undefined,
          }),
        );
        if (given === undefined) options.onPassword?.(u.name, password);
      });
    } else if (!u.console && old?.console) {
      step(`~ user ${u.name}: remove console access`, () =>
        iam.send(new I.DeleteLoginProfileCommand({ UserName: u.name })),
      );
    }
    if (u.mfa && !old?.mfa) step(`~ user ${u.name}: virtual MFA device`, () => enableMfa(clients, u.name));
    else if (!u.mfa && old?.mfa) {
      step(`~ user ${u.name}: remove MFA`, () => removeMfa(clients, u.name, facts.mfaDevices.get(u.name) ?? []));
    }
    for (const group of missing(u.groups, old?.groups)) {
      step(`~ user ${u.name}: add to group ${group}`, () =>
        iam.send(new I.AddUserToGroupCommand({ GroupName: group, UserName: u.name })),
      );
    }
    for (const group of missing(old?.groups, u.groups)) {
      step(`~ user ${u.name}: remove from group ${group}`, () =>
        iam.send(new I.RemoveUserFromGroupCommand({ GroupName: group, UserName: u.name })),
      );
    }
    carried('user', u.name, u, old);
  }

  for (const r of want.roles ?? []) {
    const old = have.roles?.find((h) => h.name === r.name);
    if (old === undefined) {
      const Tags = Object.entries(r.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
      step(`+ role ${r.name}`, () =>
        iam.send(
          new I.CreateRoleCommand({
            RoleName: r.name,
            AssumeRolePolicyDocument: json(r.trust),
            ...(r.path === undefined ? {} : { Path: r.path }),
            ...(r.description === undefined ? {} : { Description: r.description }),
            ...(r.maxSessionDuration === undefined ? {} : { MaxSessionDuration: r.maxSessionDuration }),
            ...(Tags.length === 0 ? {} : { Tags }),
          }),
        ),
      );
    } else {
      if (!same(old.trust, r.trust)) {
        step(`~ role ${r.name}: trust policy`, () =>
          iam.send(new I.UpdateAssumeRolePolicyCommand({ RoleName: r.name, PolicyDocument: json(r.trust) })),
        );
      }
      if (old.description !== r.description || old.maxSessionDuration !== r.maxSessionDuration) {
        step(`~ role ${r.name}: description or maximum session duration`, () =>
          iam.send(
            new I.UpdateRoleCommand({
              RoleName: r.name,
              Description: r.description ?? '',
              MaxSessionDuration: r.maxSessionDuration ?? 3600,
            }),
          ),
        );
      }
    }
    carried('role', r.name, r, old);
  }

  // 7. Budgets.
  for (const b of want.budgets ?? []) {
    const old = have.budgets?.find((h) => h.name === b.name);
    const Budget: B.Budget = {
      BudgetName: b.name,
      BudgetType: 'COST',
      TimeUnit: b.timeUnit ?? 'MONTHLY',
      BudgetLimit: { Amount: b.amount, Unit: b.unit ?? 'USD' },
    };
    if (old === undefined) {
      step(`+ budget ${b.name}`, () => clients.budgets.send(new B.CreateBudgetCommand({ AccountId: account, Budget })));
    } else if (!same(old, b)) {
      step(`~ budget ${b.name}: limit ${normaliseAmount(b.amount)} ${b.unit ?? 'USD'} ${b.timeUnit ?? 'MONTHLY'}`, () =>
        clients.budgets.send(new B.UpdateBudgetCommand({ AccountId: account, NewBudget: Budget })),
      );
    }
  }

  // 8. What the file no longer names.
  if (options.prune) {
    const named = (list: { name: string }[] | undefined) => new Set((list ?? []).map((x) => x.name));
    const users = named(want.users);
    for (const u of have.users ?? []) {
      if (!users.has(u.name)) step(`- user ${u.name}`, () => deleteUser(clients, u, facts));
    }
    const roles = named(want.roles);
    for (const r of have.roles ?? []) {
      if (!roles.has(r.name)) step(`- role ${r.name}`, () => deleteRole(clients, r, arnOf));
    }
    const groups = named(want.groups);
    for (const g of have.groups ?? []) {
      if (!groups.has(g.name)) step(`- group ${g.name}`, () => deleteGroup(clients, g.name, g, arnOf));
    }
    const policies = named(want.policies);
    for (const p of have.policies ?? []) {
      if (!policies.has(p.name)) step(`- policy ${p.name}`, () => deletePolicy(clients, facts.policies.get(p.name)!));
    }
    const budgets = named(want.budgets);
    for (const b of have.budgets ?? []) {
      if (!budgets.has(b.name)) {
        step(`- budget ${b.name}`, () =>
          clients.budgets.send(new B.DeleteBudgetCommand({ AccountId: account, BudgetName: b.name })),
        );
      }
    }
  }
  return steps;
}

function organizationSteps(
  want: Scenario,
  have: Scenario,
  facts: Facts,
  clients: Clients,
  step: (summary: string, run: () => Promise<unknown>) => void,
  prune: boolean,
): void {
  const org = clients.organizations;
  const wanted = want.organization!;
  const existing = facts.organization;
  // Ids made during this run, for the steps after the one that made them.
  const ids = new Map<string, string>();
  if (existing !== undefined) {
    ids.set('Root', existing.rootId);
    for (const [name, ou] of existing.ous) ids.set(`ou:${name}`, ou.id);
    for (const [name, a] of existing.accounts) ids.set(`account:${name}`, a.id);
    for (const [name, id] of existing.scps) ids.set(`scp:${name}`, id);
  } else {
    step('+ organization (all features)', async () => {
      await org.send(new O.CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      ids.set('Root', (await org.send(new O.ListRootsCommand({}))).Roots![0]!.Id!);
    });
  }
  const parentId = (ou: string | undefined) => (ou === undefined ? ids.get('Root')! : ids.get(`ou:${ou}`)!);
  if (!existing?.scpEnabled && (wanted.scps ?? []).length > 0) {
    step('~ organization: enable service control policies', () =>
      org.send(new O.EnablePolicyTypeCommand({ RootId: ids.get('Root')!, PolicyType: SCP })),
    );
  }
  // Parents before children.
  const ous = [...(wanted.ous ?? [])];
  const ordered: typeof ous = [];
  while (ous.length > 0) {
    const next = ous.findIndex((o) => o.parent === undefined || ordered.some((d) => d.name === o.parent));
    ordered.push(...ous.splice(next < 0 ? 0 : next, 1));
  }
  for (const ou of ordered) {
    const old = existing?.ous.get(ou.name);
    if (old === undefined) {
      step(`+ OU ${ou.name}`, async () => {
        const made = await org.send(
          new O.CreateOrganizationalUnitCommand({ ParentId: parentId(ou.parent), Name: ou.name }),
        );
        ids.set(`ou:${ou.name}`, made.OrganizationalUnit!.Id!);
      });
    }
  }
  for (const a of wanted.accounts ?? []) {
    const old = existing?.accounts.get(a.name);
    if (old === undefined) {
      step(`+ account ${a.name} (${a.email})`, async () => {
        let status = (await org.send(new O.CreateAccountCommand({ AccountName: a.name, Email: a.email })))
          .CreateAccountStatus!;
        while (status.State === 'IN_PROGRESS') {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          status = (await org.send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: status.Id! })))
            .CreateAccountStatus!;
        }
        if (status.State !== 'SUCCEEDED') throw new Error(`CreateAccount ${a.name}: ${status.FailureReason}`);
        ids.set(`account:${a.name}`, status.AccountId!);
        if (a.ou !== undefined) {
          await org.send(
            new O.MoveAccountCommand({
              AccountId: status.AccountId!,
              SourceParentId: ids.get('Root')!,
              DestinationParentId: parentId(a.ou),
            }),
          );
        }
      });
    } else if (old.parentId !== parentId(a.ou)) {
      step(`~ account ${a.name}: move to ${a.ou ?? 'Root'}`, () =>
        org.send(
          new O.MoveAccountCommand({
            AccountId: old.id,
            SourceParentId: old.parentId,
            DestinationParentId: parentId(a.ou),
          }),
        ),
      );
    }
  }
  const targetId = (t: string) => (t === 'Root' ? ids.get('Root')! : (ids.get(`ou:${t}`) ?? ids.get(`account:${t}`)!));
  for (const scp of wanted.scps ?? []) {
    const old = have.organization?.scps?.find((s) => s.name === scp.name);
    if (old === undefined) {
      step(`+ SCP ${scp.name}`, async () => {
        const made = await org.send(
          new O.CreatePolicyCommand({
            Name: scp.name,
            Type: SCP,
            Content: json(scp.document),
            Description: scp.description ?? '',
          }),
        );
        ids.set(`scp:${scp.name}`, made.Policy!.PolicySummary!.Id!);
      });
    } else if (!same(old.document, scp.document) || (old.description ?? '') !== (scp.description ?? '')) {
      step(`~ SCP ${scp.name}: content`, () =>
        org.send(
          new O.UpdatePolicyCommand({
            PolicyId: ids.get(`scp:${scp.name}`)!,
            Content: json(scp.document),
            Description: scp.description ?? '',
          }),
        ),
      );
    }
    for (const t of missing(scp.targets, old?.targets)) {
      step(`~ SCP ${scp.name}: attach to ${t}`, () =>
        org.send(new O.AttachPolicyCommand({ PolicyId: ids.get(`scp:${scp.name}`)!, TargetId: targetId(t) })),
      );
    }
    for (const t of missing(old?.targets, scp.targets)) {
      step(`~ SCP ${scp.name}: detach from ${t}`, () =>
        org.send(new O.DetachPolicyCommand({ PolicyId: ids.get(`scp:${scp.name}`)!, TargetId: targetId(t) })),
      );
    }
  }
  if (prune) {
    for (const scp of have.organization?.scps ?? []) {
      if ((wanted.scps ?? []).some((s) => s.name === scp.name)) continue;
      step(`- SCP ${scp.name}`, async () => {
        const PolicyId = ids.get(`scp:${scp.name}`)!;
        for (const t of scp.targets ?? [])
          await org.send(new O.DetachPolicyCommand({ PolicyId, TargetId: targetId(t) }));
        await org.send(new O.DeletePolicyCommand({ PolicyId }));
      });
    }
    // Member accounts are never removed: closing an account is not a setup change.
  }
}

/** A virtual MFA device for the user, enabled with two consecutive codes of its seed. */
async function enableMfa(clients: Clients, user: string): Promise<void> {
  const device = (await clients.iam.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: user })))
    .VirtualMFADevice!;
  const secret = Secret.fromBase32(new TextDecoder().decode(device.Base32StringSeed!));
  const counter = Math.floor(Date.now() / 30_000);
  await clients.iam.send(
    new I.EnableMFADeviceCommand({
      UserName: user,
      SerialNumber: device.SerialNumber!,
      AuthenticationCode1: HOTP.generate({ secret, counter: counter - 1 }),
      AuthenticationCode2: HOTP.generate({ secret, counter }),
    }),
  );
}

async function removeMfa(clients: Clients, user: string, serials: string[]): Promise<void> {
  for (const serial of serials) {
    await clients.iam.send(new I.DeactivateMFADeviceCommand({ UserName: user, SerialNumber: serial }));
    if (serial.includes(':mfa/')) await clients.iam.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
  }
}

/** IAM refuses to delete a user that still has anything: take it all away first. */
async function deleteUser(clients: Clients, u: ScenarioUser, facts: Facts): Promise<void> {
  const iam = clients.iam;
  const UserName = u.name;
  if (u.console) await iam.send(new I.DeleteLoginProfileCommand({ UserName }));
  for (const key of (await iam.send(new I.ListAccessKeysCommand({ UserName }))).AccessKeyMetadata ?? []) {
    await iam.send(new I.DeleteAccessKeyCommand({ UserName, AccessKeyId: key.AccessKeyId! }));
  }
  await removeMfa(clients, UserName, facts.mfaDevices.get(UserName) ?? []);
  for (const group of u.groups ?? []) await iam.send(new I.RemoveUserFromGroupCommand({ GroupName: group, UserName }));
  for (const p of (await iam.send(new I.ListAttachedUserPoliciesCommand({ UserName }))).AttachedPolicies ?? []) {
    await iam.send(new I.DetachUserPolicyCommand({ UserName, PolicyArn: p.PolicyArn! }));
  }
  for (const p of Object.keys(u.inlinePolicies ?? {}))
    await iam.send(new I.DeleteUserPolicyCommand({ UserName, PolicyName: p }));
  if (u.boundary !== undefined) await iam.send(new I.DeleteUserPermissionsBoundaryCommand({ UserName }));
  await iam.send(new I.DeleteUserCommand({ UserName }));
}

async function deleteRole(clients: Clients, r: ScenarioRole, arnOf: (ref: string) => string): Promise<void> {
  const iam = clients.iam;
  const RoleName = r.name;
  for (const ref of r.policies ?? [])
    await iam.send(new I.DetachRolePolicyCommand({ RoleName, PolicyArn: arnOf(ref) }));
  for (const p of Object.keys(r.inlinePolicies ?? {}))
    await iam.send(new I.DeleteRolePolicyCommand({ RoleName, PolicyName: p }));
  for (const profile of (await iam.send(new I.ListInstanceProfilesForRoleCommand({ RoleName }))).InstanceProfiles ??
    []) {
    await iam.send(
      new I.RemoveRoleFromInstanceProfileCommand({ RoleName, InstanceProfileName: profile.InstanceProfileName! }),
    );
  }
  await iam.send(new I.DeleteRoleCommand({ RoleName }));
}

async function deleteGroup(
  clients: Clients,
  GroupName: string,
  g: { policies?: string[]; inlinePolicies?: Record<string, unknown> },
  arnOf: (ref: string) => string,
): Promise<void> {
  const iam = clients.iam;
  for (const member of (await iam.send(new I.GetGroupCommand({ GroupName }))).Users ?? []) {
    await iam.send(new I.RemoveUserFromGroupCommand({ GroupName, UserName: member.UserName! }));
  }
  for (const ref of g.policies ?? [])
    await iam.send(new I.DetachGroupPolicyCommand({ GroupName, PolicyArn: arnOf(ref) }));
  for (const p of Object.keys(g.inlinePolicies ?? {}))
    await iam.send(new I.DeleteGroupPolicyCommand({ GroupName, PolicyName: p }));
  await iam.send(new I.DeleteGroupCommand({ GroupName }));
}

/** A managed policy goes once nothing uses it and only its default version is left. */
async function deletePolicy(
  clients: Clients,
  policy: { arn: string; defaultVersion: string; versions: string[] },
): Promise<void> {
  const iam = clients.iam;
  const PolicyArn = policy.arn;
  const users = await iam.send(new I.ListEntitiesForPolicyCommand({ PolicyArn }));
  for (const u of users.PolicyUsers ?? [])
    await iam.send(new I.DetachUserPolicyCommand({ PolicyArn, UserName: u.UserName! }));
  for (const g of users.PolicyGroups ?? [])
    await iam.send(new I.DetachGroupPolicyCommand({ PolicyArn, GroupName: g.GroupName! }));
  for (const r of users.PolicyRoles ?? [])
    await iam.send(new I.DetachRolePolicyCommand({ PolicyArn, RoleName: r.RoleName! }));
  for (const v of policy.versions) {
    if (v !== policy.defaultVersion) await iam.send(new I.DeletePolicyVersionCommand({ PolicyArn, VersionId: v }));
  }
  await iam.send(new I.DeletePolicyCommand({ PolicyArn }));
}
