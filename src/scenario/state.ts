/**
 * What an account has now, read through the public APIs (GetAccountAuthorizationDetails, ListRoles,
 * GetLoginProfile, ListMFADevices, the Billing endpoint, Budgets, Organizations) and written as a scenario, with
 * the ids a plan needs beside it. `scenario export` prints the scenario part; `scenario apply` compares a file
 * with it. Both sides are normalised the same way (normalise()), so equal setups compare and print equal.
 */
import { DescribeBudgetsCommand, type Budget } from '@aws-sdk/client-budgets';
import {
  GetAccountAuthorizationDetailsCommand,
  GetLoginProfileCommand,
  ListMFADevicesCommand,
  ListRolesCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  type Role,
} from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { PolicyDocument, Scenario, ScenarioOrganization } from './scenario.js';
import type { Clients } from './target.js';

/** The ids behind the names, for the plan's calls. */
export interface Facts {
  accountId: string;
  /** Customer-managed policies by name: ARN, default version, number of versions. */
  policies: Map<string, { arn: string; defaultVersion: string; versions: string[] }>;
  /** MFA device serial numbers by user. */
  mfaDevices: Map<string, string[]>;
  organization?: {
    rootId: string;
    scpEnabled: boolean;
    ous: Map<string, { id: string; parentId: string }>;
    accounts: Map<string, { id: string; parentId: string }>;
    scps: Map<string, string>;
  };
}

export interface AccountState {
  scenario: Scenario;
  facts: Facts;
}

const SCP = 'SERVICE_CONTROL_POLICY';
/** AWS's own policies and roles are not the account's setup: never exported, compared or pruned. */
const isServiceRole = (role: { Path?: string }) => role.Path?.startsWith('/aws-service-role/') === true;

const isMissing = (error: unknown, ...names: string[]) => error instanceof Error && names.includes(error.name);

/** A policy document as the APIs return it (URL-encoded in IAM's Query answers) or as written, parsed. */
export function parseDocument(text: string | undefined): PolicyDocument {
  const raw = text ?? '{}';
  return JSON.parse(raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw)) as PolicyDocument;
}

/** JSON with object keys sorted at every level: two documents that mean the same print the same. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** A policy reference as a scenario writes it: a customer-managed policy of this account by name, else its ARN. */
export function policyRef(arn: string, accountId: string): string {
  const local = new RegExp(`^arn:aws:iam::${accountId}:policy/(?:.*/)?([^/]+)$`).exec(arn);
  return local === null ? arn : local[1]!;
}

const byName = <T extends { name: string }>(list: T[]): T[] =>
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** A decimal amount without trailing zeros ("100.00" and "100" are one budget limit). */
export const normaliseAmount = (amount: string): string =>
  amount.includes('.') ? amount.replace(/0+$/, '').replace(/\.$/, '') : amount;

const inlineMap = (list: { PolicyName?: string; PolicyDocument?: string }[] | undefined) =>
  list === undefined || list.length === 0
    ? undefined
    : Object.fromEntries(
        [...list]
          .sort((a, b) => (a.PolicyName! < b.PolicyName! ? -1 : 1))
          .map((p) => [p.PolicyName!, parseDocument(p.PolicyDocument)]),
      );
const tagMap = (tags: { Key?: string; Value?: string }[] | undefined) =>
  tags === undefined || tags.length === 0
    ? undefined
    : Object.fromEntries([...tags].sort((a, b) => (a.Key! < b.Key! ? -1 : 1)).map((t) => [t.Key!, t.Value ?? '']));
const sorted = (list: string[] | undefined) => (list === undefined || list.length === 0 ? undefined : [...list].sort());
const pathOf = (path: string | undefined) => (path === undefined || path === '/' ? undefined : path);

/**
 * A scenario in the one form both sides of a comparison take: default values left out, lists of names sorted,
 * local policies referred to by name, amounts without trailing zeros, entities by name. Expectations are kept.
 */
export function normalise(s: Scenario, accountId: string): Scenario {
  const refs = (list: string[] | undefined) => sorted(list?.map((r) => policyRef(r, accountId)));
  // An empty list says what a missing one does (a named entity has exactly what the file gives it).
  const clean = <T extends object>(o: T): T =>
    Object.fromEntries(
      Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
    ) as T;
  const inline = (m: Record<string, PolicyDocument> | undefined) =>
    m === undefined || Object.keys(m).length === 0
      ? undefined
      : Object.fromEntries(
          Object.keys(m)
            .sort()
            .map((k) => [k, m[k]!]),
        );
  return clean({
    $schema: s.$schema,
    version: 1 as const,
    description: s.description,
    billing: s.billing === undefined || Object.keys(s.billing).length === 0 ? undefined : clean({ ...s.billing }),
    organization:
      s.organization === undefined
        ? undefined
        : clean({
            ous: s.organization.ous === undefined ? undefined : byName(s.organization.ous.map((o) => clean({ ...o }))),
            accounts:
              s.organization.accounts === undefined
                ? undefined
                : byName(s.organization.accounts.map((a) => clean({ ...a }))),
            scps:
              s.organization.scps === undefined
                ? undefined
                : byName(
                    s.organization.scps.map((p) =>
                      clean({ ...p, description: p.description || undefined, targets: sorted(p.targets) }),
                    ),
                  ),
          }),
    policies:
      s.policies &&
      byName(s.policies.map((p) => clean({ ...p, path: pathOf(p.path), description: p.description || undefined }))),
    groups:
      s.groups &&
      byName(
        s.groups.map((g) =>
          clean({ ...g, path: pathOf(g.path), policies: refs(g.policies), inlinePolicies: inline(g.inlinePolicies) }),
        ),
      ),
    users:
      s.users &&
      byName(
        s.users.map((u) =>
          clean({
            ...u,
            path: pathOf(u.path),
            console: u.console || undefined,
            mfa: u.mfa || undefined,
            groups: sorted(u.groups),
            policies: refs(u.policies),
            inlinePolicies: inline(u.inlinePolicies),
            boundary: u.boundary === undefined ? undefined : policyRef(u.boundary, accountId),
            tags: u.tags === undefined || Object.keys(u.tags).length === 0 ? undefined : u.tags,
          }),
        ),
      ),
    roles:
      s.roles &&
      byName(
        s.roles.map((r) =>
          clean({
            ...r,
            path: pathOf(r.path),
            description: r.description || undefined,
            maxSessionDuration: r.maxSessionDuration === 3600 ? undefined : r.maxSessionDuration,
            policies: refs(r.policies),
            inlinePolicies: inline(r.inlinePolicies),
            boundary: r.boundary === undefined ? undefined : policyRef(r.boundary, accountId),
            tags: r.tags === undefined || Object.keys(r.tags).length === 0 ? undefined : r.tags,
          }),
        ),
      ),
    budgets:
      s.budgets &&
      byName(
        s.budgets.map((b) =>
          clean({
            ...b,
            amount: normaliseAmount(b.amount),
            unit: b.unit === 'USD' ? undefined : b.unit,
            timeUnit: b.timeUnit === 'MONTHLY' ? undefined : b.timeUnit,
          }),
        ),
      ),
    expect: s.expect,
  });
}

async function authorizationDetails(clients: Clients) {
  const all: Required<
    Pick<
      GetAccountAuthorizationDetailsCommandOutput,
      'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'
    >
  > = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  let marker: string | undefined;
  do {
    const page = await clients.iam.send(
      new GetAccountAuthorizationDetailsCommand({
        Filter: ['User', 'Group', 'Role', 'LocalManagedPolicy'],
        ...(marker === undefined ? {} : { Marker: marker }),
      }),
    );
    all.UserDetailList.push(...(page.UserDetailList ?? []));
    all.GroupDetailList.push(...(page.GroupDetailList ?? []));
    all.RoleDetailList.push(...(page.RoleDetailList ?? []));
    all.Policies.push(...(page.Policies ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);
  return all;
}

async function roles(clients: Clients): Promise<Map<string, Role>> {
  const found = new Map<string, Role>();
  let marker: string | undefined;
  do {
    const page = await clients.iam.send(new ListRolesCommand(marker === undefined ? {} : { Marker: marker }));
    for (const role of page.Roles ?? []) found.set(role.RoleName!, role);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);
  return found;
}

async function budgets(clients: Clients, accountId: string): Promise<Budget[]> {
  const found: Budget[] = [];
  let token: string | undefined;
  do {
    const page = await clients.budgets.send(
      new DescribeBudgetsCommand({ AccountId: accountId, ...(token === undefined ? {} : { NextToken: token }) }),
    );
    found.push(...(page.Budgets ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return found;
}

/** The organization this account manages (none when it is in none, or is a member account). */
async function organization(
  clients: Clients,
  accountId: string,
): Promise<{ scenario: ScenarioOrganization; facts: NonNullable<Facts['organization']> } | undefined> {
  const org = clients.organizations;
  let described;
  try {
    described = await org.send(new DescribeOrganizationCommand({}));
  } catch (error) {
    if (isMissing(error, 'AWSOrganizationsNotInUseException')) return undefined;
    throw error;
  }
  if (described.Organization?.MasterAccountId !== accountId) return undefined;
  const root = (await org.send(new ListRootsCommand({}))).Roots![0]!;
  const facts: NonNullable<Facts['organization']> = {
    rootId: root.Id!,
    scpEnabled: (root.PolicyTypes ?? []).some((t) => t.Type === SCP && t.Status === 'ENABLED'),
    ous: new Map(),
    accounts: new Map(),
    scps: new Map(),
  };
  const nameOf = new Map<string, string>([[root.Id!, 'Root']]);
  const scenario: Required<ScenarioOrganization> = { ous: [], accounts: [], scps: [] };
  const walk = async (parentId: string): Promise<void> => {
    let token: string | undefined;
    do {
      const page = await org.send(
        new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, ...(token ? { NextToken: token } : {}) }),
      );
      for (const ou of page.OrganizationalUnits ?? []) {
        nameOf.set(ou.Id!, ou.Name!);
        facts.ous.set(ou.Name!, { id: ou.Id!, parentId });
        scenario.ous.push({ name: ou.Name!, ...(parentId === root.Id ? {} : { parent: nameOf.get(parentId)! }) });
        await walk(ou.Id!);
      }
      token = page.NextToken;
    } while (token !== undefined);
  };
  await walk(root.Id!);
  let token: string | undefined;
  do {
    const page = await org.send(new ListAccountsCommand(token ? { NextToken: token } : {}));
    for (const account of page.Accounts ?? []) {
      if (account.Id === accountId) continue;
      const parentId = (await org.send(new ListParentsCommand({ ChildId: account.Id! }))).Parents![0]!.Id!;
      nameOf.set(account.Id!, account.Name!);
      facts.accounts.set(account.Name!, { id: account.Id!, parentId });
      scenario.accounts.push({
        name: account.Name!,
        email: account.Email!,
        ...(parentId === root.Id ? {} : { ou: nameOf.get(parentId)! }),
      });
    }
    token = page.NextToken;
  } while (token !== undefined);
  if (facts.scpEnabled) {
    const policies = await org.send(new ListPoliciesCommand({ Filter: SCP }));
    for (const summary of policies.Policies ?? []) {
      if (summary.AwsManaged) continue;
      const policy = (await org.send(new DescribePolicyCommand({ PolicyId: summary.Id! }))).Policy!;
      const targets = await org.send(new ListTargetsForPolicyCommand({ PolicyId: summary.Id! }));
      facts.scps.set(summary.Name!, summary.Id!);
      scenario.scps.push({
        name: summary.Name!,
        ...(summary.Description ? { description: summary.Description } : {}),
        document: parseDocument(policy.Content),
        targets: (targets.Targets ?? []).map((t) => nameOf.get(t.TargetId!) ?? t.TargetId!),
      });
    }
  }
  return { scenario, facts };
}

export async function readState(clients: Clients): Promise<AccountState> {
  const accountId = (await clients.sts.send(new GetCallerIdentityCommand({}))).Account!;
  const details = await authorizationDetails(clients);
  const listedRoles = await roles(clients);
  const facts: Facts = { accountId, policies: new Map(), mfaDevices: new Map() };
  const ref = (p: { PolicyArn?: string }) => policyRef(p.PolicyArn!, accountId);

  const policies = details.Policies.map((p) => {
    const versions = p.PolicyVersionList ?? [];
    const current = versions.find((v) => v.IsDefaultVersion);
    facts.policies.set(p.PolicyName!, {
      arn: p.Arn!,
      defaultVersion: p.DefaultVersionId!,
      versions: versions.map((v) => v.VersionId!),
    });
    return {
      name: p.PolicyName!,
      path: p.Path,
      description: p.Description,
      document: parseDocument(current?.Document),
    };
  });
  const users = [];
  for (const u of details.UserDetailList) {
    let console = false;
    try {
      await clients.iam.send(new GetLoginProfileCommand({ UserName: u.UserName! }));
      console = true;
    } catch (error) {
      if (!isMissing(error, 'NoSuchEntityException', 'NoSuchEntity')) throw error;
    }
    const mfa = (await clients.iam.send(new ListMFADevicesCommand({ UserName: u.UserName! }))).MFADevices ?? [];
    facts.mfaDevices.set(
      u.UserName!,
      mfa.map((d) => d.SerialNumber!),
    );
    users.push({
      name: u.UserName!,
      path: u.Path,
      console,
      mfa: mfa.length > 0,
      groups: u.GroupList,
      policies: u.AttachedManagedPolicies?.map(ref),
      inlinePolicies: inlineMap(u.UserPolicyList),
      boundary: u.PermissionsBoundary?.PermissionsBoundaryArn,
      tags: tagMap(u.Tags),
    });
  }
  const groups = details.GroupDetailList.map((g) => ({
    name: g.GroupName!,
    path: g.Path,
    policies: g.AttachedManagedPolicies?.map(ref),
    inlinePolicies: inlineMap(g.GroupPolicyList),
  }));
  const roleList = details.RoleDetailList.filter((r) => !isServiceRole(r)).map((r) => {
    const listed = listedRoles.get(r.RoleName!);
    return {
      name: r.RoleName!,
      path: r.Path,
      description: listed?.Description,
      trust: parseDocument(r.AssumeRolePolicyDocument),
      maxSessionDuration: listed?.MaxSessionDuration,
      policies: r.AttachedManagedPolicies?.map(ref),
      inlinePolicies: inlineMap(r.RolePolicyList),
      boundary: r.PermissionsBoundary?.PermissionsBoundaryArn,
      tags: tagMap(r.Tags),
    };
  });
  const budgetList = (await budgets(clients, accountId)).map((b) => ({
    name: b.BudgetName!,
    amount: b.BudgetLimit?.Amount ?? '0',
    unit: b.BudgetLimit?.Unit,
    timeUnit: b.TimeUnit as 'MONTHLY',
  }));
  // AWS has no API for the Billing console's settings: against AWS they are neither read nor compared.
  let billing: Scenario['billing'];
  if (clients.bursar) {
    const iamAccess = (await clients.billing('GetIAMAccessPreference', {})).IamUserAccessToBilling === 'ALLOW';
    const actionSet =
      (await clients.portal('GetConsoleActionSetEnforced', {})).ConsoleActionSet === 'FINE_GRAINED'
        ? 'fine-grained'
        : 'existing';
    billing = { iamAccess, actionSet };
  }
  const org = await organization(clients, accountId);
  if (org !== undefined) facts.organization = org.facts;
  const scenario = normalise(
    {
      version: 1,
      ...(billing === undefined ? {} : { billing }),
      ...(org === undefined ? {} : { organization: org.scenario }),
      policies,
      groups,
      users,
      roles: roleList,
      budgets: budgetList,
    },
    accountId,
  );
  return { scenario, facts };
}
