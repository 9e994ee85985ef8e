/**
 * `scenario export`: an account's setup (state.ts) as a scenario file, Terraform HCL (with `import` blocks that
 * adopt what already exists), a CloudFormation template, or an AWS CLI script. The account's own values are
 * written as they are; what no format can carry (a console password, an MFA device's seed, the IAM-access
 * switch, which AWS offers no API for) is said in a comment or a parameter.
 */
import type { PolicyDocument, Scenario } from './scenario.js';
import type { AccountState } from './state.js';
import { renderYaml } from './yaml-source.js';

export const EXPORT_FORMATS = ['scenario', 'terraform', 'cloudformation', 'cli'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** Terraform: `import` blocks adopting the exported account's resources (default true). */
  imports?: boolean;
  /** A scenario as YAML rather than JSON. */
  yaml?: boolean;
}

export function exportState(state: AccountState, format: ExportFormat, options: ExportOptions = {}): string {
  switch (format) {
    case 'scenario':
      return exportScenario(state.scenario, options.yaml === true);
    case 'terraform':
      return exportTerraform(state, options.imports !== false);
    case 'cloudformation':
      return exportCloudFormation(state.scenario);
    case 'cli':
      return exportCli(state.scenario);
  }
}

export function exportScenario(scenario: Scenario, yaml = false): string {
  const { expect: _expect, ...setup } = scenario;
  const file = { $schema: 'https://bursar.dev/schemas/scenario.schema.json', ...setup };
  return yaml ? renderYaml(file) : `${JSON.stringify(file, null, 2)}\n`;
}

const isLocal = (ref: string) => !ref.startsWith('arn:');

/** The Billing console settings no API of AWS sets, as a comment for whoever runs the export. */
function billingComment(billing: NonNullable<Scenario['billing']>): string {
  return [
    '# In the Billing console (Account page, as the root user; AWS has no API for these):',
    `IAM user and role access to Billing information ${billing.iamAccess ? 'activated' : 'off'},`,
    `console action set ${billing.actionSet ?? 'existing'}.`,
  ].join(' ');
}
const AWS_ARN_ACCOUNT = /^arn:aws:iam::aws:/;

// ---------------------------------------------------------------------------------------------- Terraform

/** A Terraform identifier for a name (letters, digits, _ and -; not starting with a digit). */
const tfId = (...parts: string[]) => {
  const id = parts.join('_').replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[0-9-]/.test(id) ? `_${id}` : id;
};
const tfString = (s: string) => JSON.stringify(s).replaceAll('${', '$${').replaceAll('%{', '%%{');
/** A document as HCL: JSON is an HCL object expression once its template sequences are escaped. */
const tfDocument = (document: PolicyDocument) =>
  `jsonencode(${JSON.stringify(document, null, 2).replaceAll('${', '$${').replaceAll('%{', '%%{').replaceAll('\n', '\n  ')})`;
const tfTags = (tags: Record<string, string> | undefined) =>
  tags === undefined
    ? []
    : [`  tags = {`, ...Object.entries(tags).map(([k, v]) => `    ${tfString(k)} = ${tfString(v)}`), `  }`];

function exportTerraform(state: AccountState, imports: boolean): string {
  const s = state.scenario;
  const { accountId } = state.facts;
  const out: string[] = [
    '# Exported by `bursar scenario export --format terraform`.',
    imports
      ? '# The import blocks adopt what exists in the exported account; drop them (or export with --no-import) to create it elsewhere.'
      : '# Without import blocks: `terraform apply` creates everything.',
    'terraform {',
    '  required_providers {',
    '    aws = { source = "hashicorp/aws", version = ">= 5.0" }',
    '  }',
    '}',
    '',
  ];
  const resource = (type: string, name: string, body: string[], importId?: string) => {
    out.push(`resource "${type}" "${name}" {`, ...body, '}');
    if (imports && importId !== undefined)
      out.push(`import {`, `  to = ${type}.${name}`, `  id = ${tfString(importId)}`, `}`);
    out.push('');
  };
  const arnExpr = (ref: string) => (isLocal(ref) ? `aws_iam_policy.${tfId(ref)}.arn` : tfString(ref));
  const arnOf = (ref: string) => (isLocal(ref) ? (state.facts.policies.get(ref)?.arn ?? ref) : ref);
  if (s.billing !== undefined) out.push(billingComment(s.billing), '');
  for (const p of s.policies ?? []) {
    resource(
      'aws_iam_policy',
      tfId(p.name),
      [
        `  name = ${tfString(p.name)}`,
        ...(p.path === undefined ? [] : [`  path = ${tfString(p.path)}`]),
        ...(p.description === undefined ? [] : [`  description = ${tfString(p.description)}`]),
        `  policy = ${tfDocument(p.document!)}`,
      ],
      arnOf(p.name),
    );
  }
  type Holder = { name: string; policies?: string[]; inlinePolicies?: Record<string, PolicyDocument> };
  const carried = (kind: 'group' | 'user' | 'role', e: Holder) => {
    for (const ref of e.policies ?? []) {
      resource(
        `aws_iam_${kind}_policy_attachment`,
        tfId(e.name, ref.replace(AWS_ARN_ACCOUNT, '').replace(/^.*\//, '')),
        [`  ${kind} = aws_iam_${kind}.${tfId(e.name)}.name`, `  policy_arn = ${arnExpr(ref)}`],
        `${e.name}/${arnOf(ref)}`,
      );
    }
    for (const [name, document] of Object.entries(e.inlinePolicies ?? {})) {
      resource(
        `aws_iam_${kind}_policy`,
        tfId(e.name, name),
        [
          `  name = ${tfString(name)}`,
          `  ${kind} = aws_iam_${kind}.${tfId(e.name)}.name`,
          `  policy = ${tfDocument(document)}`,
        ],
        `${e.name}:${name}`,
      );
    }
  };
  for (const g of s.groups ?? []) {
    resource(
      'aws_iam_group',
      tfId(g.name),
      [`  name = ${tfString(g.name)}`, ...(g.path ? [`  path = ${tfString(g.path)}`] : [])],
      g.name,
    );
    carried('group', g);
  }
  for (const u of s.users ?? []) {
    resource(
      'aws_iam_user',
      tfId(u.name),
      [
        `  name = ${tfString(u.name)}`,
        ...(u.path ? [`  path = ${tfString(u.path)}`] : []),
        ...(u.boundary ? [`  permissions_boundary = ${arnExpr(u.boundary)}`] : []),
        ...tfTags(u.tags),
      ],
      u.name,
    );
    if (u.console) {
      resource(
        'aws_iam_user_login_profile',
        tfId(u.name),
        [
          `  user = aws_iam_user.${tfId(u.name)}.name`,
          '  password_reset_required = true',
          '  # The password is generated (see the state); an imported one is kept.',
          '  lifecycle {',
          '    ignore_changes = [password_length, password_reset_required, pgp_key]',
          '  }',
        ],
        u.name,
      );
    }
    if (u.mfa) out.push(`# ${u.name} has an MFA device: its seed cannot be exported; the user enables a new one.`, '');
    if (u.groups !== undefined) {
      resource(
        'aws_iam_user_group_membership',
        tfId(u.name),
        [
          `  user = aws_iam_user.${tfId(u.name)}.name`,
          `  groups = [${u.groups.map((g) => `aws_iam_group.${tfId(g)}.name`).join(', ')}]`,
        ],
        [u.name, ...u.groups].join('/'),
      );
    }
    carried('user', u);
  }
  for (const r of s.roles ?? []) {
    resource(
      'aws_iam_role',
      tfId(r.name),
      [
        `  name = ${tfString(r.name)}`,
        ...(r.path ? [`  path = ${tfString(r.path)}`] : []),
        ...(r.description ? [`  description = ${tfString(r.description)}`] : []),
        ...(r.maxSessionDuration ? [`  max_session_duration = ${r.maxSessionDuration}`] : []),
        ...(r.boundary ? [`  permissions_boundary = ${arnExpr(r.boundary)}`] : []),
        `  assume_role_policy = ${tfDocument(r.trust)}`,
        ...tfTags(r.tags),
      ],
      r.name,
    );
    carried('role', r);
  }
  if ((s.budgets ?? []).length > 0) out.push('data "aws_caller_identity" "current" {}', '');
  for (const b of s.budgets ?? []) {
    resource(
      'aws_budgets_budget',
      tfId(b.name),
      [
        '  account_id = data.aws_caller_identity.current.account_id',
        `  name = ${tfString(b.name)}`,
        '  budget_type = "COST"',
        `  limit_amount = ${tfString(b.amount)}`,
        `  limit_unit = ${tfString(b.unit ?? 'USD')}`,
        `  time_unit = ${tfString(b.timeUnit ?? 'MONTHLY')}`,
      ],
      `${accountId}:${b.name}`,
    );
  }
  const org = s.organization;
  const orgFacts = state.facts.organization;
  if (org !== undefined && orgFacts !== undefined) {
    resource('aws_organizations_organization', 'this', [
      '  feature_set = "ALL"',
      ...(orgFacts.scpEnabled ? ['  enabled_policy_types = ["SERVICE_CONTROL_POLICY"]'] : []),
    ]);
    const parent = (name: string | undefined) =>
      name === undefined
        ? 'aws_organizations_organization.this.roots[0].id'
        : `aws_organizations_organizational_unit.${tfId(name)}.id`;
    for (const ou of org.ous ?? []) {
      resource(
        'aws_organizations_organizational_unit',
        tfId(ou.name),
        [`  name = ${tfString(ou.name)}`, `  parent_id = ${parent(ou.parent)}`],
        orgFacts.ous.get(ou.name)?.id,
      );
    }
    for (const a of org.accounts ?? []) {
      resource(
        'aws_organizations_account',
        tfId(a.name),
        [`  name = ${tfString(a.name)}`, `  email = ${tfString(a.email)}`, `  parent_id = ${parent(a.ou)}`],
        orgFacts.accounts.get(a.name)?.id,
      );
    }
    for (const p of org.scps ?? []) {
      resource(
        'aws_organizations_policy',
        tfId(p.name),
        [
          `  name = ${tfString(p.name)}`,
          ...(p.description ? [`  description = ${tfString(p.description)}`] : []),
          '  type = "SERVICE_CONTROL_POLICY"',
          `  content = ${tfDocument(p.document)}`,
        ],
        orgFacts.scps.get(p.name),
      );
      for (const t of p.targets ?? []) {
        const target =
          t === 'Root'
            ? 'aws_organizations_organization.this.roots[0].id'
            : org.ous?.some((o) => o.name === t)
              ? `aws_organizations_organizational_unit.${tfId(t)}.id`
              : `aws_organizations_account.${tfId(t)}.id`;
        const targetId = t === 'Root' ? orgFacts.rootId : (orgFacts.ous.get(t)?.id ?? orgFacts.accounts.get(t)?.id);
        resource(
          'aws_organizations_policy_attachment',
          tfId(p.name, t),
          [`  policy_id = aws_organizations_policy.${tfId(p.name)}.id`, `  target_id = ${target}`],
          `${targetId}:${orgFacts.scps.get(p.name)}`,
        );
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// ---------------------------------------------------------------------------------------------- CloudFormation

const cfnId = (...parts: string[]) =>
  parts
    .join(' ')
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())
    .replace(/^./, (c) => c.toUpperCase());

function exportCloudFormation(s: Scenario): string {
  const resources: Record<string, unknown> = {};
  const parameters: Record<string, unknown> = {};
  const arn = (ref: string) => (isLocal(ref) ? { Ref: cfnId('Policy', ref) } : ref);
  const inline = (m: Record<string, PolicyDocument> | undefined) =>
    m === undefined
      ? undefined
      : Object.entries(m).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument }));
  const tags = (t: Record<string, string> | undefined) =>
    t === undefined ? undefined : Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
  for (const p of s.policies ?? []) {
    resources[cfnId('Policy', p.name)] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: { ManagedPolicyName: p.name, Path: p.path, Description: p.description, PolicyDocument: p.document },
    };
  }
  for (const g of s.groups ?? []) {
    resources[cfnId('Group', g.name)] = {
      Type: 'AWS::IAM::Group',
      Properties: {
        GroupName: g.name,
        Path: g.path,
        ManagedPolicyArns: g.policies?.map(arn),
        Policies: inline(g.inlinePolicies),
      },
    };
  }
  for (const u of s.users ?? []) {
    const password = cfnId('Password', u.name);
    if (u.console)
      parameters[password] = { Type: 'String', NoEcho: true, Description: `${u.name}'s first console password` };
    resources[cfnId('User', u.name)] = {
      Type: 'AWS::IAM::User',
      Properties: {
        UserName: u.name,
        Path: u.path,
        Groups: u.groups?.map((g) => ({ Ref: cfnId('Group', g) })),
        ManagedPolicyArns: u.policies?.map(arn),
        Policies: inline(u.inlinePolicies),
        PermissionsBoundary: u.boundary === undefined ? undefined : arn(u.boundary),
        LoginProfile: u.console ? { Password: { Ref: password }, PasswordResetRequired: true } : undefined,
        Tags: tags(u.tags),
      },
    };
  }
  for (const r of s.roles ?? []) {
    resources[cfnId('Role', r.name)] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: r.name,
        Path: r.path,
        Description: r.description,
        MaxSessionDuration: r.maxSessionDuration,
        AssumeRolePolicyDocument: r.trust,
        ManagedPolicyArns: r.policies?.map(arn),
        Policies: inline(r.inlinePolicies),
        PermissionsBoundary: r.boundary === undefined ? undefined : arn(r.boundary),
        Tags: tags(r.tags),
      },
    };
  }
  for (const b of s.budgets ?? []) {
    resources[cfnId('Budget', b.name)] = {
      Type: 'AWS::Budgets::Budget',
      Properties: {
        Budget: {
          BudgetName: b.name,
          BudgetType: 'COST',
          TimeUnit: b.timeUnit ?? 'MONTHLY',
          BudgetLimit: { Amount: Number(b.amount), Unit: b.unit ?? 'USD' },
        },
      },
    };
  }
  // Organizations' resources need the organization to exist already (CloudFormation cannot create one).
  const org = s.organization;
  const parent = (ou: string | undefined) =>
    ou === undefined ? { Ref: 'OrganizationRootId' } : { 'Fn::GetAtt': [cfnId('Ou', ou), 'Id'] };
  if (org !== undefined) {
    parameters.OrganizationRootId = { Type: 'String', Description: "The organization's root id (r-…)" };
    for (const ou of org.ous ?? []) {
      resources[cfnId('Ou', ou.name)] = {
        Type: 'AWS::Organizations::OrganizationalUnit',
        Properties: { Name: ou.name, ParentId: parent(ou.parent) },
      };
    }
    for (const a of org.accounts ?? []) {
      resources[cfnId('Account', a.name)] = {
        Type: 'AWS::Organizations::Account',
        Properties: { AccountName: a.name, Email: a.email, ParentIds: [parent(a.ou)] },
      };
    }
    for (const p of org.scps ?? []) {
      resources[cfnId('Scp', p.name)] = {
        Type: 'AWS::Organizations::Policy',
        Properties: {
          Name: p.name,
          Description: p.description,
          Type: 'SERVICE_CONTROL_POLICY',
          Content: p.document,
          TargetIds: (p.targets ?? []).map((t) =>
            t === 'Root'
              ? { Ref: 'OrganizationRootId' }
              : org.ous?.some((o) => o.name === t)
                ? { 'Fn::GetAtt': [cfnId('Ou', t), 'Id'] }
                : { 'Fn::GetAtt': [cfnId('Account', t), 'AccountId'] },
          ),
        },
      };
    }
  }
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Exported by \`bursar scenario export --format cloudformation\`.${s.billing === undefined ? '' : ` ${billingComment(s.billing).slice(2)}`}`,
    ...(Object.keys(parameters).length === 0 ? {} : { Parameters: parameters }),
    Resources: resources,
  };
  // JSON.stringify leaves the unset (undefined) properties out.
  return `${JSON.stringify(template, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------- AWS CLI

const sh = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
const shJson = (value: unknown) => sh(JSON.stringify(value));

function exportCli(s: Scenario): string {
  const out: string[] = [
    '#!/bin/sh',
    '# Exported by `bursar scenario export --format cli`. Recreates the setup in the account of the credentials the',
    '# AWS CLI finds; against Bursar, set AWS_ENDPOINT_URL to its URL.',
    'set -eu',
    'ACCOUNT=$(aws sts get-caller-identity --query Account --output text)',
    '',
  ];
  const arn = (ref: string) =>
    isLocal(ref)
      ? `"arn:aws:iam::$ACCOUNT:policy${s.policies?.find((p) => p.name === ref)?.path ?? '/'}${ref}"`
      : sh(ref);
  if (s.billing !== undefined) out.push(billingComment(s.billing), '');
  for (const p of s.policies ?? []) {
    out.push(
      `aws iam create-policy --policy-name ${sh(p.name)}${p.path ? ` --path ${sh(p.path)}` : ''}${p.description ? ` --description ${sh(p.description)}` : ''} --policy-document ${shJson(p.document)} >/dev/null`,
    );
  }
  type Holder = { name: string; policies?: string[]; inlinePolicies?: Record<string, PolicyDocument> };
  const carried = (kind: 'group' | 'user' | 'role', e: Holder) => {
    for (const ref of e.policies ?? [])
      out.push(`aws iam attach-${kind}-policy --${kind}-name ${sh(e.name)} --policy-arn ${arn(ref)}`);
    for (const [name, document] of Object.entries(e.inlinePolicies ?? {})) {
      out.push(
        `aws iam put-${kind}-policy --${kind}-name ${sh(e.name)} --policy-name ${sh(name)} --policy-document ${shJson(document)}`,
      );
    }
  };
  for (const g of s.groups ?? []) {
    out.push(`aws iam create-group --group-name ${sh(g.name)}${g.path ? ` --path ${sh(g.path)}` : ''} >/dev/null`);
    carried('group', g);
  }
  for (const u of s.users ?? []) {
    const tags = Object.entries(u.tags ?? {}).map(([Key, Value]) => `Key=${Key},Value=${Value}`);
    out.push(
      `aws iam create-user --user-name ${sh(u.name)}${u.path ? ` --path ${sh(u.path)}` : ''}${tags.length ? ` --tags ${tags.map(sh).join(' ')}` : ''} >/dev/null`,
    );
    if (u.console) {
      out.push(
        `PASSWORD="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \\n')-Aa1!"`,
        `aws iam create-login-profile --user-name ${sh(u.name)} --password "$PASSWORD" --password-reset-required >/dev/null`,
        `echo "${u.name}'s console password: $PASSWORD"`,
      );
    }
    if (u.mfa) out.push(`# ${u.name} had an MFA device: its seed cannot be exported; the user enables a new one.`);
    for (const g of u.groups ?? [])
      out.push(`aws iam add-user-to-group --group-name ${sh(g)} --user-name ${sh(u.name)}`);
    if (u.boundary)
      out.push(
        `aws iam put-user-permissions-boundary --user-name ${sh(u.name)} --permissions-boundary ${arn(u.boundary)}`,
      );
    carried('user', u);
  }
  for (const r of s.roles ?? []) {
    const tags = Object.entries(r.tags ?? {}).map(([Key, Value]) => `Key=${Key},Value=${Value}`);
    out.push(
      `aws iam create-role --role-name ${sh(r.name)}${r.path ? ` --path ${sh(r.path)}` : ''}${r.description ? ` --description ${sh(r.description)}` : ''}${r.maxSessionDuration ? ` --max-session-duration ${r.maxSessionDuration}` : ''} --assume-role-policy-document ${shJson(r.trust)}${tags.length ? ` --tags ${tags.map(sh).join(' ')}` : ''} >/dev/null`,
    );
    if (r.boundary)
      out.push(
        `aws iam put-role-permissions-boundary --role-name ${sh(r.name)} --permissions-boundary ${arn(r.boundary)}`,
      );
    carried('role', r);
  }
  for (const b of s.budgets ?? []) {
    const budget = {
      BudgetName: b.name,
      BudgetType: 'COST',
      TimeUnit: b.timeUnit ?? 'MONTHLY',
      BudgetLimit: { Amount: b.amount, Unit: b.unit ?? 'USD' },
    };
    out.push(`aws budgets create-budget --account-id "$ACCOUNT" --budget ${shJson(budget)}`);
  }
  const org = s.organization;
  if (org !== undefined) {
    const v = (kind: string, name: string) => `${kind}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
    out.push(
      'aws organizations create-organization --feature-set ALL >/dev/null',
      "ROOT=$(aws organizations list-roots --query 'Roots[0].Id' --output text)",
    );
    if ((org.scps ?? []).length > 0)
      out.push(
        'aws organizations enable-policy-type --root-id "$ROOT" --policy-type SERVICE_CONTROL_POLICY >/dev/null',
      );
    const parent = (ou: string | undefined) => (ou === undefined ? '"$ROOT"' : `"$${v('OU', ou)}"`);
    for (const ou of org.ous ?? []) {
      out.push(
        `${v('OU', ou.name)}=$(aws organizations create-organizational-unit --parent-id ${parent(ou.parent)} --name ${sh(ou.name)} --query OrganizationalUnit.Id --output text)`,
      );
    }
    for (const a of org.accounts ?? []) {
      const request = v('REQUEST', a.name);
      out.push(
        `${request}=$(aws organizations create-account --account-name ${sh(a.name)} --email ${sh(a.email)} --query CreateAccountStatus.Id --output text)`,
        `while [ "$(aws organizations describe-create-account-status --create-account-request-id "$${request}" --query CreateAccountStatus.State --output text)" = IN_PROGRESS ]; do sleep 2; done`,
        `${v('ACCOUNT', a.name)}=$(aws organizations describe-create-account-status --create-account-request-id "$${request}" --query CreateAccountStatus.AccountId --output text)`,
      );
      if (a.ou !== undefined) {
        out.push(
          `aws organizations move-account --account-id "$${v('ACCOUNT', a.name)}" --source-parent-id "$ROOT" --destination-parent-id ${parent(a.ou)}`,
        );
      }
    }
    for (const p of org.scps ?? []) {
      out.push(
        `${v('SCP', p.name)}=$(aws organizations create-policy --type SERVICE_CONTROL_POLICY --name ${sh(p.name)} --description ${sh(p.description ?? '')} --content ${shJson(p.document)} --query Policy.PolicySummary.Id --output text)`,
      );
      for (const t of p.targets ?? []) {
        const target =
          t === 'Root' ? '"$ROOT"' : org.ous?.some((o) => o.name === t) ? `"$${v('OU', t)}"` : `"$${v('ACCOUNT', t)}"`;
        out.push(`aws organizations attach-policy --policy-id "$${v('SCP', p.name)}" --target-id ${target}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
