/**
 * Tags on users, roles, instance profiles, managed policies and MFA devices: the same three operations for
 * each (tag, untag, list), authorized on the tagged thing's ARN.
 */
import type { IamOperations } from '../../contracts/wire/iam.js';
import { requireEntity } from '../../iam/entity-policies.js';
import type { TaggableType } from '../../iam/tags.js';
import { checkTags } from '../../iam/validation.js';
import type { OperationWith } from '../registry.js';
import {
  iamAccess,
  instanceProfileArn,
  policyArn,
  roleArn,
  tagContext,
  userArn,
  type IamContext,
  type IamOperation,
  type IamOperationServices,
} from './common.js';
import { paginate } from './pagination.js';

type Label = 'User' | 'Role' | 'InstanceProfile' | 'Policy' | 'MFADevice';
/** The members naming the tagged thing (the model requires the one its operation has). */
interface TagTarget {
  UserName?: string;
  RoleName?: string;
  InstanceProfileName?: string;
  PolicyArn?: string;
  SerialNumber?: string;
}
type In<Name extends keyof IamOperations> = IamOperations[Name]['input'];

const TAGGABLE: {
  type: TaggableType;
  label: Label;
  resource: (input: TagTarget, ctx: IamContext) => string | Promise<string>;
  id: (input: TagTarget, ctx: IamContext) => Promise<string>;
}[] = [
  {
    type: 'user',
    label: 'User',
    resource: userArn,
    id: async (i, c) =>
      (await requireEntity(c.services.iam.context.db, c.caller.accountId, 'user', i.UserName ?? '')).id,
  },
  {
    type: 'role',
    label: 'Role',
    resource: roleArn,
    id: async (i, c) =>
      (await requireEntity(c.services.iam.context.db, c.caller.accountId, 'role', i.RoleName ?? '')).id,
  },
  {
    type: 'instance-profile',
    label: 'InstanceProfile',
    resource: instanceProfileArn,
    id: (i, c) => c.services.iam.instanceProfiles.idOf(c.caller.accountId, i.InstanceProfileName ?? ''),
  },
  {
    type: 'policy',
    label: 'Policy',
    resource: policyArn,
    id: async (i, c) =>
      (await c.services.iam.policies.require(c.services.iam.context.db, c.caller.accountId, i.PolicyArn ?? ''))
        .policy_id,
  },
  {
    type: 'mfa',
    label: 'MFADevice',
    resource: (i) => i.SerialNumber || '*',
    id: (i, c) => c.services.iam.mfa.idOf(c.caller.accountId, i.SerialNumber ?? ''),
  },
];

function operationsOn({ type, label, resource, id }: (typeof TAGGABLE)[number]): OperationWith<IamOperationServices>[] {
  const tag: IamOperation<In<`Tag${Label}`>> = {
    service: 'iam',
    name: `Tag${label}`,
    mutates: true,
    access: iamAccess(`Tag${label}`, resource, (i) => tagContext(i.Tags)),
    handler: async (i, c) => {
      checkTags(i.Tags, type);
      const resourceId = await id(i, c);
      await c.services.iam.context.write(c.caller.accountId, (trx) =>
        c.services.iam.tags.tag(trx, type, resourceId, i.Tags),
      );
      return {};
    },
  };
  const untag: IamOperation<In<`Untag${Label}`>> = {
    service: 'iam',
    name: `Untag${label}`,
    mutates: true,
    access: iamAccess(`Untag${label}`, resource, (i) => ({ 'aws:TagKeys': i.TagKeys })),
    handler: async (i, c) => {
      const resourceId = await id(i, c);
      await c.services.iam.context.write(c.caller.accountId, (trx) =>
        c.services.iam.tags.untag(trx, type, resourceId, i.TagKeys),
      );
      return {};
    },
  };
  const list: IamOperation<In<`List${Label}Tags`>> = {
    service: 'iam',
    name: `List${label}Tags`,
    mutates: false,
    access: iamAccess(`List${label}Tags`, resource),
    handler: async (i, c) => paginate(await c.services.iam.tags.list(type, await id(i, c)), i, 'Tags'),
  };
  return [tag, untag, list];
}

export const tagOperations = TAGGABLE.flatMap(operationsOn);
