/**
 * The CloudFormation export, checked offline: no CloudFormation runs here, so the template is not deployed
 * anywhere. What can be checked without it is: the template parses (as JSON, and so as YAML), uses only the
 * template sections CloudFormation has, only resource types and properties CloudFormation documents for them
 * (the lists below, from the AWS CloudFormation Template Reference's pages for each type), has each type's
 * required properties, and every `Ref` and `Fn::GetAtt` names a resource or parameter of the template and an
 * attribute the type returns.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { exportState } from '../../src/scenario/export.js';
import { loadScenario, type Scenario } from '../../src/scenario/scenario.js';
import type { AccountState } from '../../src/scenario/state.js';

interface Documented {
  properties: string[];
  required: string[];
  attributes: string[];
}

/** Per type: its properties, the required ones, and what Fn::GetAtt returns (CloudFormation Template Reference). */
const DOCUMENTED: Record<string, Documented> = {
  'AWS::IAM::ManagedPolicy': {
    properties: ['Description', 'Groups', 'ManagedPolicyName', 'Path', 'PolicyDocument', 'Roles', 'Users'],
    required: ['PolicyDocument'],
    attributes: ['AttachmentCount', 'CreateDate', 'DefaultVersionId', 'IsAttachable', 'PolicyArn', 'PolicyId'],
  },
  'AWS::IAM::Group': {
    properties: ['GroupName', 'ManagedPolicyArns', 'Path', 'Policies'],
    required: [],
    attributes: ['Arn'],
  },
  'AWS::IAM::User': {
    properties: [
      'Groups',
      'LoginProfile',
      'ManagedPolicyArns',
      'Path',
      'PermissionsBoundary',
      'Policies',
      'Tags',
      'UserName',
    ],
    required: [],
    attributes: ['Arn'],
  },
  'AWS::IAM::Role': {
    properties: [
      'AssumeRolePolicyDocument',
      'Description',
      'ManagedPolicyArns',
      'MaxSessionDuration',
      'Path',
      'PermissionsBoundary',
      'Policies',
      'RoleName',
      'Tags',
    ],
    required: ['AssumeRolePolicyDocument'],
    attributes: ['Arn', 'RoleId'],
  },
  'AWS::Budgets::Budget': {
    properties: ['Budget', 'NotificationsWithSubscribers', 'ResourceTags'],
    required: ['Budget'],
    attributes: [],
  },
  'AWS::Organizations::OrganizationalUnit': {
    properties: ['Name', 'ParentId', 'Tags'],
    required: ['Name', 'ParentId'],
    attributes: ['Arn', 'Id'],
  },
  'AWS::Organizations::Account': {
    properties: ['AccountName', 'Email', 'ParentIds', 'RoleName', 'Tags'],
    required: ['AccountName', 'Email'],
    attributes: ['AccountId', 'Arn', 'JoinedMethod', 'JoinedTimestamp', 'Status'],
  },
  'AWS::Organizations::Policy': {
    properties: ['Content', 'Description', 'Name', 'Tags', 'TargetIds', 'Type'],
    required: ['Content', 'Name', 'Type'],
    attributes: ['Arn', 'AwsManaged', 'Id'],
  },
};
/** Property types' members: an inline policy, a tag, a login profile, a budget (BudgetData) and its limit (Spend). */
const POLICY = ['PolicyDocument', 'PolicyName'];
const TAG = ['Key', 'Value'];
const LOGIN_PROFILE = ['Password', 'PasswordResetRequired'];
const BUDGET_DATA = [
  'AutoAdjustData',
  'BillingViewArn',
  'BudgetLimit',
  'BudgetName',
  'BudgetType',
  'CostFilters',
  'CostTypes',
  'FilterExpression',
  'Metrics',
  'PlannedBudgetLimits',
  'TimePeriod',
  'TimeUnit',
];
const SPEND = ['Amount', 'Unit'];

type Json = Record<string, unknown>;

function subset(what: string, actual: object, allowed: string[]): void {
  for (const key of Object.keys(actual)) assert.ok(allowed.includes(key), `${what}: ${key} is not documented`);
}

/** Every Ref and Fn::GetAtt in `value`. */
function references(value: unknown, found: { ref: string[]; getAtt: [string, string][] }) {
  if (Array.isArray(value)) value.forEach((v) => references(v, found));
  else if (value !== null && typeof value === 'object') {
    const o = value as Json;
    if (typeof o.Ref === 'string') found.ref.push(o.Ref);
    if (Array.isArray(o['Fn::GetAtt'])) found.getAtt.push(o['Fn::GetAtt'] as [string, string]);
    Object.values(o).forEach((v) => references(v, found));
  }
  return found;
}

async function scenarioWithEverything(): Promise<Scenario> {
  const finance = await loadScenario('examples/finance-team.json');
  const organization = await loadScenario('examples/organization.json');
  assert.ok(finance.ok && organization.ok);
  // The finance team's IAM setup and budget, with the organization example's OUs, accounts and SCP.
  return { ...finance.scenario, organization: organization.scenario.organization! };
}

describe('CloudFormation export (offline checks: not deployed anywhere)', () => {
  it('is a template of documented types and properties whose references resolve', async () => {
    const scenario = await scenarioWithEverything();
    const text = exportState({ scenario } as AccountState, 'cloudformation');
    const template = JSON.parse(text) as Json;
    assert.deepEqual(yaml.load(text, { schema: yaml.CORE_SCHEMA }), template);
    subset('template', template, ['AWSTemplateFormatVersion', 'Description', 'Parameters', 'Resources']);
    assert.equal(template.AWSTemplateFormatVersion, '2010-09-09');
    assert.ok(Buffer.byteLength(String(template.Description)) <= 1024, 'a description is at most 1,024 bytes');

    const resources = template.Resources as Record<string, { Type: string; Properties: Json }>;
    const parameters = (template.Parameters ?? {}) as Record<string, Json>;
    const types = new Set<string>();
    for (const [id, resource] of Object.entries(resources)) {
      assert.match(id, /^[A-Za-z0-9]{1,255}$/, 'logical ids are alphanumeric');
      subset(id, resource, ['Type', 'Properties']);
      const documented = DOCUMENTED[resource.Type];
      assert.ok(documented, `${id}: ${resource.Type} is not a type this test knows`);
      types.add(resource.Type);
      subset(`${id} (${resource.Type})`, resource.Properties, documented.properties);
      for (const name of documented.required) assert.ok(name in resource.Properties, `${id}: ${name} is required`);
      const p = resource.Properties as {
        Policies?: Json[];
        Tags?: Json[];
        LoginProfile?: Json;
        Budget?: { BudgetLimit?: Json } & Json;
      };
      p.Policies?.forEach((policy) => assert.deepEqual(Object.keys(policy).sort(), POLICY, id));
      p.Tags?.forEach((tag) => assert.deepEqual(Object.keys(tag).sort(), TAG, id));
      if (p.LoginProfile !== undefined) subset(`${id} LoginProfile`, p.LoginProfile, LOGIN_PROFILE);
      if (p.Budget !== undefined) {
        subset(`${id} Budget`, p.Budget, BUDGET_DATA);
        assert.deepEqual(Object.keys(p.Budget.BudgetLimit!).sort(), SPEND);
        assert.equal(typeof p.Budget.BudgetLimit!.Amount, 'number', 'a Spend amount is a Number');
      }
    }
    // The example covers every type the export writes.
    assert.deepEqual([...types].sort(), Object.keys(DOCUMENTED).sort());

    for (const [name, parameter] of Object.entries(parameters)) {
      assert.match(name, /^[A-Za-z0-9]{1,255}$/);
      assert.equal(parameter.Type, 'String', name);
    }
    const found = references(resources, { ref: [], getAtt: [] });
    for (const ref of found.ref) assert.ok(ref in resources || ref in parameters, `Ref ${ref} resolves`);
    for (const [target, attribute] of found.getAtt) {
      const resource = resources[target];
      assert.ok(resource, `Fn::GetAtt ${target} resolves`);
      assert.ok(DOCUMENTED[resource.Type]!.attributes.includes(attribute), `${resource.Type} returns ${attribute}`);
    }
    // Every parameter is used (a password per console user, the organization's root id).
    for (const name of Object.keys(parameters)) assert.ok(found.ref.includes(name), `parameter ${name} is used`);
    assert.ok(found.getAtt.length > 0 && found.ref.length > 0);
  });
});
