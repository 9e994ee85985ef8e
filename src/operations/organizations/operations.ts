/**
 * AWS Organizations' API operations (JSON 1.1, `AWSOrganizationsV20161128.*`) over the Organizations domain.
 * Member names are those of AWS's model; actions are `organizations:<Operation>`; resources are the ARNs of
 * the Service Authorization Reference (`…:account/o-…/<id>`, `…:ou/o-…/ou-…`, `…:root/o-…/r-…`,
 * `…:policy/o-…/<type>/p-…`, AWS managed policies under `arn:aws:organizations::aws:policy/…`). Those ARNs
 * need the caller's organization id, which `access()` (synchronous) takes from the domain's directory;
 * before the process knows the caller's organization they fall back to `*`, and the handler still applies
 * AWS's own rule that only the management account may manage the organization.
 */
import { ACCOUNT_ID, OU_ID, POLICY_ID, ROOT_ID, policyArn } from '../../organizations/ids.js';
import {
  optionalEnum,
  optionalString,
  optionalTags,
  requiredEnum,
  requiredString,
  type Input,
} from '../../organizations/input.js';
import { FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS } from '../../organizations/managed-policies.js';
import { POLICY_TYPES } from '../../organizations/organizations.js';
import { invalidInput, invalidModelInput } from '../../organizations/errors.js';
import type { OrgPolicyType } from '../../store/tables/organizations.js';
import type { AccessRequest } from '../../core/operation.js';
import { serviceAccessOperations } from './service-access.js';
import { anyResource, arnOf, ask, containerArn, me, org, paged, type Ctx, type Op } from './access.js';

export type { OrganizationsServices } from './access.js';

const PARENT_ID = /^(r-[0-9a-z]{4,32})$|^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const TARGET_ID = /^(r-[0-9a-z]{4,32})$|^(\d{12})$|^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const CHILD_ID = /^(\d{12})$|^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACCOUNT_NAME = /^[\u0020-\u007E]+$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const CREATE_ACCOUNT_STATES = ['IN_PROGRESS', 'SUCCEEDED', 'FAILED'] as const;
const MANAGED = new Map([FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS].map((p) => [p.id, p]));

function policyTypeOf(ctx: Ctx, policyId: unknown): OrgPolicyType | undefined {
  if (typeof policyId !== 'string') return undefined;
  return MANAGED.get(policyId)?.type ?? ctx.services.organizations.directory.policyType(policyId);
}

function policyResource(ctx: Ctx, policyId: unknown): string {
  if (typeof policyId !== 'string') return '*';
  const managed = MANAGED.get(policyId);
  if (managed) return managed.arn;
  const type = policyTypeOf(ctx, policyId);
  return type ? arnOf(ctx, (m, o) => policyArn(m, o, type, policyId)) : '*';
}

function typeContext(type: unknown): AccessRequest['context'] {
  return typeof type === 'string' ? { 'organizations:PolicyType': type } : undefined;
}

function policyType(input: Input, name: string): OrgPolicyType {
  const value = input[name];
  if (value === undefined || value === null) throw invalidInput('INPUT_REQUIRED', `(${name})`);
  if (!POLICY_TYPES.includes(value as OrgPolicyType)) throw invalidInput('INVALID_ENUM_POLICY_TYPE');
  return value as OrgPolicyType;
}

// --- the organization ---

const createOrganization = anyResource('CreateOrganization', true, async (input, ctx) =>
  org(ctx).createOrganization(me(ctx), optionalEnum(input, 'FeatureSet', ['ALL', 'CONSOLIDATED_BILLING'] as const)),
);

const describeOrganization = anyResource('DescribeOrganization', false, async (_input, ctx) =>
  org(ctx).describeOrganization(me(ctx)),
);

const deleteOrganization = anyResource('DeleteOrganization', true, async (_input, ctx) => {
  await org(ctx).deleteOrganization(me(ctx));
  return {};
});

const listRoots = anyResource('ListRoots', false, async (input, ctx) =>
  paged(input, 'Roots', await org(ctx).listRoots(me(ctx))),
);

// --- organizational units ---

const OU_NAME = { min: 1, max: 128 };

const createOrganizationalUnit: Op = {
  service: 'organizations',
  name: 'CreateOrganizationalUnit',
  access: (input, ctx) => [ask('CreateOrganizationalUnit', containerArn(ctx, input.ParentId))],
  mutates: true,
  handler: async (input, ctx) =>
    org(ctx).createOrganizationalUnit(
      me(ctx),
      requiredString(input, 'ParentId', { pattern: PARENT_ID }),
      requiredString(input, 'Name', OU_NAME),
      optionalTags(input),
    ),
};

const describeOrganizationalUnit: Op = {
  service: 'organizations',
  name: 'DescribeOrganizationalUnit',
  access: (input, ctx) => [ask('DescribeOrganizationalUnit', containerArn(ctx, input.OrganizationalUnitId))],
  mutates: false,
  handler: async (input, ctx) =>
    org(ctx).describeOrganizationalUnit(me(ctx), requiredString(input, 'OrganizationalUnitId', { pattern: OU_ID })),
};

const updateOrganizationalUnit: Op = {
  service: 'organizations',
  name: 'UpdateOrganizationalUnit',
  access: (input, ctx) => [ask('UpdateOrganizationalUnit', containerArn(ctx, input.OrganizationalUnitId))],
  mutates: true,
  handler: async (input, ctx) =>
    org(ctx).updateOrganizationalUnit(
      me(ctx),
      requiredString(input, 'OrganizationalUnitId', { pattern: OU_ID }),
      optionalString(input, 'Name', OU_NAME),
    ),
};

const deleteOrganizationalUnit: Op = {
  service: 'organizations',
  name: 'DeleteOrganizationalUnit',
  access: (input, ctx) => [ask('DeleteOrganizationalUnit', containerArn(ctx, input.OrganizationalUnitId))],
  mutates: true,
  handler: async (input, ctx) => {
    await org(ctx).deleteOrganizationalUnit(me(ctx), requiredString(input, 'OrganizationalUnitId', { pattern: OU_ID }));
    return {};
  },
};

const listOrganizationalUnitsForParent: Op = {
  service: 'organizations',
  name: 'ListOrganizationalUnitsForParent',
  access: (input, ctx) => [ask('ListOrganizationalUnitsForParent', containerArn(ctx, input.ParentId))],
  mutates: false,
  handler: async (input, ctx) =>
    paged(
      input,
      'OrganizationalUnits',
      await org(ctx).listOrganizationalUnitsForParent(
        me(ctx),
        requiredString(input, 'ParentId', { pattern: PARENT_ID }),
      ),
    ),
};

const listParents: Op = {
  service: 'organizations',
  name: 'ListParents',
  access: (input, ctx) => [ask('ListParents', containerArn(ctx, input.ChildId))],
  mutates: false,
  handler: async (input, ctx) =>
    paged(
      input,
      'Parents',
      await org(ctx).listParents(me(ctx), requiredString(input, 'ChildId', { pattern: CHILD_ID })),
    ),
};

const listChildren: Op = {
  service: 'organizations',
  name: 'ListChildren',
  access: (input, ctx) => [ask('ListChildren', containerArn(ctx, input.ParentId))],
  mutates: false,
  handler: async (input, ctx) =>
    paged(
      input,
      'Children',
      await org(ctx).listChildren(
        me(ctx),
        requiredString(input, 'ParentId', { pattern: PARENT_ID }),
        requiredEnum(input, 'ChildType', ['ACCOUNT', 'ORGANIZATIONAL_UNIT'] as const),
      ),
    ),
};

// --- accounts ---

const createAccount = anyResource('CreateAccount', true, async (input, ctx) =>
  org(ctx).createAccount(me(ctx), {
    email: requiredString(input, 'Email', { min: 6, max: 64, pattern: EMAIL }),
    accountName: requiredString(input, 'AccountName', { min: 1, max: 50, pattern: ACCOUNT_NAME }),
    ...optional('roleName', optionalString(input, 'RoleName', { pattern: ROLE_NAME })),
    ...optional('iamUserAccessToBilling', optionalEnum(input, 'IamUserAccessToBilling', ['ALLOW', 'DENY'] as const)),
    tags: optionalTags(input),
  }),
);

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const describeCreateAccountStatus = anyResource('DescribeCreateAccountStatus', false, async (input, ctx) =>
  org(ctx).describeCreateAccountStatus(me(ctx), requiredString(input, 'CreateAccountRequestId')),
);

const listCreateAccountStatus = anyResource('ListCreateAccountStatus', false, async (input, ctx) => {
  const states = input.States;
  if (states !== undefined && states !== null) {
    if (!Array.isArray(states) || states.some((s) => !CREATE_ACCOUNT_STATES.includes(s))) {
      throw invalidInput('INVALID_ENUM', '(States)');
    }
  }
  return paged(
    input,
    'CreateAccountStatuses',
    await org(ctx).listCreateAccountStatus(me(ctx), (states ?? undefined) as string[] | undefined),
  );
});

const listAccounts = anyResource('ListAccounts', false, async (input, ctx) =>
  paged(input, 'Accounts', await org(ctx).listAccounts(me(ctx))),
);

const describeAccount: Op = {
  service: 'organizations',
  name: 'DescribeAccount',
  access: (input, ctx) => [ask('DescribeAccount', containerArn(ctx, input.AccountId))],
  mutates: false,
  handler: async (input, ctx) =>
    org(ctx).describeAccount(me(ctx), requiredString(input, 'AccountId', { pattern: ACCOUNT_ID })),
};

const listAccountsForParent: Op = {
  service: 'organizations',
  name: 'ListAccountsForParent',
  access: (input, ctx) => [ask('ListAccountsForParent', containerArn(ctx, input.ParentId))],
  mutates: false,
  handler: async (input, ctx) =>
    paged(
      input,
      'Accounts',
      await org(ctx).listAccountsForParent(me(ctx), requiredString(input, 'ParentId', { pattern: PARENT_ID })),
    ),
};

const moveAccount: Op = {
  service: 'organizations',
  name: 'MoveAccount',
  access: (input, ctx) => [
    ask('MoveAccount', containerArn(ctx, input.AccountId)),
    ask('MoveAccount', containerArn(ctx, input.SourceParentId)),
    ask('MoveAccount', containerArn(ctx, input.DestinationParentId)),
  ],
  mutates: true,
  handler: async (input, ctx) => {
    await org(ctx).moveAccount(
      me(ctx),
      requiredString(input, 'AccountId', { pattern: ACCOUNT_ID }),
      requiredString(input, 'SourceParentId', { pattern: PARENT_ID }),
      requiredString(input, 'DestinationParentId', { pattern: PARENT_ID }),
    );
    return {};
  },
};

const removeAccountFromOrganization: Op = {
  service: 'organizations',
  name: 'RemoveAccountFromOrganization',
  access: (input, ctx) => [ask('RemoveAccountFromOrganization', containerArn(ctx, input.AccountId))],
  mutates: true,
  handler: async (input, ctx) => {
    await org(ctx).removeAccountFromOrganization(me(ctx), requiredString(input, 'AccountId', { pattern: ACCOUNT_ID }));
    return {};
  },
};

const leaveOrganization = anyResource('LeaveOrganization', true, async (_input, ctx) => {
  await org(ctx).leaveOrganization(me(ctx));
  return {};
});

// --- policy types ---

function rootPolicyTypeOp(name: 'EnablePolicyType' | 'DisablePolicyType'): Op {
  return {
    service: 'organizations',
    name,
    access: (input, ctx) => [ask(name, containerArn(ctx, input.RootId), typeContext(input.PolicyType))],
    mutates: true,
    handler: async (input, ctx) => {
      const rootId = requiredString(input, 'RootId', { pattern: ROOT_ID });
      const type = policyType(input, 'PolicyType');
      return name === 'EnablePolicyType'
        ? org(ctx).enablePolicyType(me(ctx), rootId, type)
        : org(ctx).disablePolicyType(me(ctx), rootId, type);
    },
  };
}

// --- policies ---

const POLICY_NAME = { min: 1, max: 128 };
const POLICY_DESCRIPTION = { max: 512 };
const POLICY_CONTENT = { min: 1, max: 1000000 };

function onPolicy(name: string, mutates: boolean, handler: Op['handler']): Op {
  return {
    service: 'organizations',
    name,
    access: (input, ctx) => [
      ask(name, policyResource(ctx, input.PolicyId), typeContext(policyTypeOf(ctx, input.PolicyId))),
    ],
    mutates,
    handler,
  };
}

const createPolicy: Op = {
  service: 'organizations',
  name: 'CreatePolicy',
  // The new policy's ARN is not known yet; AWS checks the action against `*` with the policy type.
  access: (input) => [ask('CreatePolicy', '*', typeContext(input.Type))],
  mutates: true,
  handler: async (input, ctx) =>
    org(ctx).createPolicy(me(ctx), {
      content: requiredString(input, 'Content', POLICY_CONTENT),
      description: requiredString(input, 'Description', POLICY_DESCRIPTION),
      name: requiredString(input, 'Name', POLICY_NAME),
      type: policyType(input, 'Type'),
      tags: optionalTags(input),
    }),
};

const policyIdOf = (input: Input) => requiredString(input, 'PolicyId', { pattern: POLICY_ID });

const describePolicy = onPolicy('DescribePolicy', false, async (input, ctx) =>
  org(ctx).describePolicy(me(ctx), policyIdOf(input)),
);

const updatePolicy = onPolicy('UpdatePolicy', true, async (input, ctx) =>
  org(ctx).updatePolicy(me(ctx), policyIdOf(input), {
    ...optional('name', optionalString(input, 'Name', POLICY_NAME)),
    ...optional('description', optionalString(input, 'Description', POLICY_DESCRIPTION)),
    ...optional('content', optionalString(input, 'Content', POLICY_CONTENT)),
  }),
);

const deletePolicy = onPolicy('DeletePolicy', true, async (input, ctx) => {
  await org(ctx).deletePolicy(me(ctx), policyIdOf(input));
  return {};
});

const listTargetsForPolicy = onPolicy('ListTargetsForPolicy', false, async (input, ctx) =>
  paged(input, 'Targets', await org(ctx).listTargetsForPolicy(me(ctx), policyIdOf(input))),
);

const listPolicies: Op = {
  service: 'organizations',
  name: 'ListPolicies',
  access: (input) => [ask('ListPolicies', '*', typeContext(input.Filter))],
  mutates: false,
  handler: async (input, ctx) =>
    paged(input, 'Policies', await org(ctx).listPolicies(me(ctx), policyType(input, 'Filter'))),
};

function attachmentOp(name: 'AttachPolicy' | 'DetachPolicy'): Op {
  return {
    service: 'organizations',
    name,
    // AWS authorizes both ends: the policy and the root, OU or account.
    access: (input, ctx) => {
      const context = typeContext(policyTypeOf(ctx, input.PolicyId));
      return [
        ask(name, policyResource(ctx, input.PolicyId), context),
        ask(name, containerArn(ctx, input.TargetId), context),
      ];
    },
    mutates: true,
    handler: async (input, ctx) => {
      const policyId = policyIdOf(input);
      const targetId = requiredString(input, 'TargetId', { pattern: TARGET_ID });
      if (name === 'AttachPolicy') await org(ctx).attachPolicy(me(ctx), policyId, targetId);
      else await org(ctx).detachPolicy(me(ctx), policyId, targetId);
      return {};
    },
  };
}

const listPoliciesForTarget: Op = {
  service: 'organizations',
  name: 'ListPoliciesForTarget',
  access: (input, ctx) => [ask('ListPoliciesForTarget', containerArn(ctx, input.TargetId), typeContext(input.Filter))],
  mutates: false,
  handler: async (input, ctx) =>
    paged(
      input,
      'Policies',
      await org(ctx).listPoliciesForTarget(
        me(ctx),
        requiredString(input, 'TargetId', { pattern: TARGET_ID }),
        policyType(input, 'Filter'),
      ),
    ),
};

// --- tags ---

function taggableArn(ctx: Ctx, id: unknown): string {
  return typeof id === 'string' && POLICY_ID.test(id) ? policyResource(ctx, id) : containerArn(ctx, id);
}

const resourceIdOf = (input: Input) => requiredString(input, 'ResourceId', { min: 1, max: 130 });

const tagResource: Op = {
  service: 'organizations',
  name: 'TagResource',
  access: (input, ctx) => [ask('TagResource', taggableArn(ctx, input.ResourceId))],
  mutates: true,
  handler: async (input, ctx) => {
    if (input.Tags === undefined || input.Tags === null) throw invalidInput('INPUT_REQUIRED', '(Tags)');
    await org(ctx).tagResource(me(ctx), resourceIdOf(input), optionalTags(input));
    return {};
  },
};

const untagResource: Op = {
  service: 'organizations',
  name: 'UntagResource',
  access: (input, ctx) => [ask('UntagResource', taggableArn(ctx, input.ResourceId))],
  mutates: true,
  handler: async (input, ctx) => {
    const keys = input.TagKeys;
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string'))
      throw invalidInput('INPUT_REQUIRED', '(TagKeys)');
    await org(ctx).untagResource(me(ctx), resourceIdOf(input), keys as string[]);
    return {};
  },
};

const listTagsForResource: Op = {
  service: 'organizations',
  name: 'ListTagsForResource',
  access: (input, ctx) => [ask('ListTagsForResource', taggableArn(ctx, input.ResourceId))],
  mutates: false,
  handler: async (input, ctx) => paged(input, 'Tags', await org(ctx).listTagsForResource(me(ctx), resourceIdOf(input))),
};

const operations: Op[] = [
  createOrganization,
  describeOrganization,
  deleteOrganization,
  listRoots,
  createOrganizationalUnit,
  describeOrganizationalUnit,
  updateOrganizationalUnit,
  deleteOrganizationalUnit,
  listOrganizationalUnitsForParent,
  listParents,
  listChildren,
  createAccount,
  describeCreateAccountStatus,
  listCreateAccountStatus,
  listAccounts,
  describeAccount,
  listAccountsForParent,
  moveAccount,
  removeAccountFromOrganization,
  leaveOrganization,
  rootPolicyTypeOp('EnablePolicyType'),
  rootPolicyTypeOp('DisablePolicyType'),
  createPolicy,
  describePolicy,
  updatePolicy,
  deletePolicy,
  listPolicies,
  attachmentOp('AttachPolicy'),
  attachmentOp('DetachPolicy'),
  listPoliciesForTarget,
  listTargetsForPolicy,
  tagResource,
  untagResource,
  listTagsForResource,
];

/** Every Organizations operation Bursar serves, for the registry; input the model refuses is answered in Organizations' terms. */
export const organizationsOperations: Op[] = [...operations, ...serviceAccessOperations].map((op) => ({
  ...op,
  invalidInput: invalidModelInput,
}));
