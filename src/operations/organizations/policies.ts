/**
 * Policy types, policies, attachments and tags. A policy is authorized on its ARN with
 * `organizations:PolicyType`; an attachment on both the policy and the root, OU or account.
 */
import type {
  AttachPolicyRequest,
  CreatePolicyRequest,
  DeletePolicyRequest,
  DescribePolicyRequest,
  DetachPolicyRequest,
  DisablePolicyTypeRequest,
  EnablePolicyTypeRequest,
  ListPoliciesForTargetRequest,
  ListPoliciesRequest,
  ListTagsForResourceRequest,
  ListTargetsForPolicyRequest,
  TagResourceRequest,
  UntagResourceRequest,
  UpdatePolicyRequest,
} from '../../contracts/wire/organizations.js';
import {
  actingAccount,
  ask,
  containerArn,
  org,
  orgAccess,
  paged,
  policyResource,
  policyTypeOf,
  taggableArn,
  typeContext,
  withDelegation,
  type OrgContext,
  type OrgOperation,
} from './common.js';

const rootArnOf = (i: { RootId?: string }, c: OrgContext) => containerArn(c, i.RootId);

const enablePolicyType: OrgOperation<EnablePolicyTypeRequest> = {
  service: 'organizations',
  name: 'EnablePolicyType',
  mutates: true,
  access: orgAccess('EnablePolicyType', rootArnOf, (i) => typeContext(i.PolicyType)),
  handler: async (i, c) =>
    org(c).policies.enableType(await actingAccount(c, 'EnablePolicyType'), i.RootId, i.PolicyType),
};

const disablePolicyType: OrgOperation<DisablePolicyTypeRequest> = {
  service: 'organizations',
  name: 'DisablePolicyType',
  mutates: true,
  access: orgAccess('DisablePolicyType', rootArnOf, (i) => typeContext(i.PolicyType)),
  handler: async (i, c) =>
    org(c).policies.disableType(await actingAccount(c, 'DisablePolicyType'), i.RootId, i.PolicyType),
};

/** The rule of an operation on one policy: its ARN, with its type as `organizations:PolicyType`. */
function onPolicy<Input extends { PolicyId: string }>(name: string) {
  return orgAccess<Input>(
    name,
    (i, c) => policyResource(c, i.PolicyId),
    (i, c) => typeContext(policyTypeOf(c, i.PolicyId)),
  );
}

const createPolicy: OrgOperation<CreatePolicyRequest> = {
  service: 'organizations',
  name: 'CreatePolicy',
  mutates: true,
  // The new policy's ARN is not known yet; AWS checks the action against `*` with the policy type.
  access: orgAccess('CreatePolicy', undefined, (i) => typeContext(i.Type)),
  handler: async (i, c) =>
    org(c).policies.create(await actingAccount(c, 'CreatePolicy'), {
      content: i.Content,
      description: i.Description,
      name: i.Name,
      type: i.Type,
      tags: i.Tags ?? [],
    }),
};

const describePolicy: OrgOperation<DescribePolicyRequest> = {
  service: 'organizations',
  name: 'DescribePolicy',
  mutates: false,
  access: onPolicy('DescribePolicy'),
  handler: async (i, c) => org(c).policies.describe(await actingAccount(c, 'DescribePolicy'), i.PolicyId),
};

const updatePolicy: OrgOperation<UpdatePolicyRequest> = {
  service: 'organizations',
  name: 'UpdatePolicy',
  mutates: true,
  access: onPolicy('UpdatePolicy'),
  handler: async (i, c) =>
    org(c).policies.update(await actingAccount(c, 'UpdatePolicy'), i.PolicyId, {
      ...(i.Name === undefined ? {} : { name: i.Name }),
      ...(i.Description === undefined ? {} : { description: i.Description }),
      ...(i.Content === undefined ? {} : { content: i.Content }),
    }),
};

const deletePolicy: OrgOperation<DeletePolicyRequest> = {
  service: 'organizations',
  name: 'DeletePolicy',
  mutates: true,
  access: onPolicy('DeletePolicy'),
  handler: async (i, c) => {
    await org(c).policies.delete(await actingAccount(c, 'DeletePolicy'), i.PolicyId);
    return {};
  },
};

const listPolicies: OrgOperation<ListPoliciesRequest> = {
  service: 'organizations',
  name: 'ListPolicies',
  mutates: false,
  access: orgAccess('ListPolicies', undefined, (i) => typeContext(i.Filter)),
  handler: async (i, c) =>
    paged(i, 'Policies', await org(c).policies.list(await actingAccount(c, 'ListPolicies'), i.Filter)),
};

const listTargetsForPolicy: OrgOperation<ListTargetsForPolicyRequest> = {
  service: 'organizations',
  name: 'ListTargetsForPolicy',
  mutates: false,
  access: onPolicy('ListTargetsForPolicy'),
  handler: async (i, c) =>
    paged(i, 'Targets', await org(c).policies.listTargets(await actingAccount(c, 'ListTargetsForPolicy'), i.PolicyId)),
};

function attachmentOp(name: 'AttachPolicy' | 'DetachPolicy'): OrgOperation<AttachPolicyRequest | DetachPolicyRequest> {
  return {
    service: 'organizations',
    name,
    mutates: true,
    // AWS authorizes both ends: the policy and the root, OU or account.
    access: (i, c) => {
      const context = typeContext(policyTypeOf(c, i.PolicyId));
      return withDelegation(c, name, [
        ask(name, policyResource(c, i.PolicyId), context),
        ask(name, containerArn(c, i.TargetId), context),
      ]);
    },
    handler: async (i, c) => {
      const account = await actingAccount(c, name);
      if (name === 'AttachPolicy') await org(c).policies.attach(account, i.PolicyId, i.TargetId);
      else await org(c).policies.detach(account, i.PolicyId, i.TargetId);
      return {};
    },
  };
}

const listPoliciesForTarget: OrgOperation<ListPoliciesForTargetRequest> = {
  service: 'organizations',
  name: 'ListPoliciesForTarget',
  mutates: false,
  access: orgAccess(
    'ListPoliciesForTarget',
    (i, c) => containerArn(c, i.TargetId),
    (i) => typeContext(i.Filter),
  ),
  handler: async (i, c) =>
    paged(
      i,
      'Policies',
      await org(c).policies.listForTarget(await actingAccount(c, 'ListPoliciesForTarget'), i.TargetId, i.Filter),
    ),
};

const tagResource: OrgOperation<TagResourceRequest> = {
  service: 'organizations',
  name: 'TagResource',
  mutates: true,
  access: orgAccess('TagResource', (i, c) => taggableArn(c, i.ResourceId)),
  handler: async (i, c) => {
    await org(c).tags.tag(await actingAccount(c, 'TagResource'), i.ResourceId, i.Tags);
    return {};
  },
};

const untagResource: OrgOperation<UntagResourceRequest> = {
  service: 'organizations',
  name: 'UntagResource',
  mutates: true,
  access: orgAccess('UntagResource', (i, c) => taggableArn(c, i.ResourceId)),
  handler: async (i, c) => {
    await org(c).tags.untag(await actingAccount(c, 'UntagResource'), i.ResourceId, i.TagKeys);
    return {};
  },
};

const listTagsForResource: OrgOperation<ListTagsForResourceRequest> = {
  service: 'organizations',
  name: 'ListTagsForResource',
  mutates: false,
  access: orgAccess('ListTagsForResource', (i, c) => taggableArn(c, i.ResourceId)),
  handler: async (i, c) =>
    paged(i, 'Tags', await org(c).tags.list(await actingAccount(c, 'ListTagsForResource'), i.ResourceId)),
};

export const policyOperations = [
  enablePolicyType,
  disablePolicyType,
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
