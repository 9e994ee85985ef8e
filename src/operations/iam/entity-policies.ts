/**
 * What hangs off users, groups and roles, the same seven operations for each (attach and detach managed
 * policies, inline policies) and two more for users and roles (permissions boundaries). Every one is
 * authorized on the entity's ARN.
 */
import type { IamOperations } from '../../contracts/wire/iam.js';
import type { EntityType } from '../../iam/records.js';
import {
  contextKey,
  groupArn,
  iamAccess,
  roleArn,
  userArn,
  type IamContext,
  type IamOperation,
  type IamOperationServices,
} from './common.js';
import type { OperationWith } from '../registry.js';
import { paginate } from './pagination.js';

type Label = 'User' | 'Group' | 'Role';
/** The member naming the entity: `UserName`, `GroupName` or `RoleName`. */
type EntityNames = Partial<Record<`${Label}Name`, string>>;
/** The model's input of an operation, for whichever entity it acts on (`Attach${Label}Policy`…). */
type In<Name extends keyof IamOperations> = IamOperations[Name]['input'];

const ENTITIES: {
  type: EntityType;
  label: Label;
  resource: (input: EntityNames, ctx: IamContext) => Promise<string>;
}[] = [
  { type: 'user', label: 'User', resource: userArn },
  { type: 'group', label: 'Group', resource: groupArn },
  { type: 'role', label: 'Role', resource: roleArn },
];

function operationsOn({ type, label, resource }: (typeof ENTITIES)[number]): OperationWith<IamOperationServices>[] {
  // The model requires the name (invoke() has checked it).
  const entityName = (i: EntityNames): string => i[`${label}Name`] ?? '';
  const attach: IamOperation<In<`Attach${Label}Policy`>> = {
    service: 'iam',
    name: `Attach${label}Policy`,
    mutates: true,
    access: iamAccess(`Attach${label}Policy`, resource, (i) => contextKey('iam:PolicyARN', i.PolicyArn)),
    handler: async (i, c) => {
      await c.services.iam.entityPolicies.attach(c.caller.accountId, type, entityName(i), i.PolicyArn);
      return {};
    },
  };
  const detach: IamOperation<In<`Detach${Label}Policy`>> = {
    service: 'iam',
    name: `Detach${label}Policy`,
    mutates: true,
    access: iamAccess(`Detach${label}Policy`, resource, (i) => contextKey('iam:PolicyARN', i.PolicyArn)),
    handler: async (i, c) => {
      await c.services.iam.entityPolicies.detach(c.caller.accountId, type, entityName(i), i.PolicyArn);
      return {};
    },
  };
  const listAttached: IamOperation<In<`ListAttached${Label}Policies`>> = {
    service: 'iam',
    name: `ListAttached${label}Policies`,
    mutates: false,
    access: iamAccess(`ListAttached${label}Policies`, resource),
    handler: async (i, c) =>
      paginate(
        await c.services.iam.entityPolicies.listAttached(c.caller.accountId, type, entityName(i), i.PathPrefix || '/'),
        i,
        'AttachedPolicies',
      ),
  };
  const putInline: IamOperation<In<`Put${Label}Policy`>> = {
    service: 'iam',
    name: `Put${label}Policy`,
    mutates: true,
    access: iamAccess(`Put${label}Policy`, resource),
    handler: async (i, c) => {
      await c.services.iam.entityPolicies.putInline(
        c.caller.accountId,
        type,
        entityName(i),
        i.PolicyName,
        i.PolicyDocument,
      );
      return {};
    },
  };
  const getInline: IamOperation<In<`Get${Label}Policy`>> = {
    service: 'iam',
    name: `Get${label}Policy`,
    mutates: false,
    access: iamAccess(`Get${label}Policy`, resource),
    handler: async (i, c) => {
      const found = await c.services.iam.entityPolicies.getInline(
        c.caller.accountId,
        type,
        entityName(i),
        i.PolicyName,
      );
      return { [`${label}Name`]: found.entityName, PolicyName: found.PolicyName, PolicyDocument: found.PolicyDocument };
    },
  };
  const listInline: IamOperation<In<`List${Label}Policies`>> = {
    service: 'iam',
    name: `List${label}Policies`,
    mutates: false,
    access: iamAccess(`List${label}Policies`, resource),
    handler: async (i, c) =>
      paginate(
        await c.services.iam.entityPolicies.listInline(c.caller.accountId, type, entityName(i)),
        i,
        'PolicyNames',
      ),
  };
  const deleteInline: IamOperation<In<`Delete${Label}Policy`>> = {
    service: 'iam',
    name: `Delete${label}Policy`,
    mutates: true,
    access: iamAccess(`Delete${label}Policy`, resource),
    handler: async (i, c) => {
      await c.services.iam.entityPolicies.deleteInline(c.caller.accountId, type, entityName(i), i.PolicyName);
      return {};
    },
  };
  const operations: OperationWith<IamOperationServices>[] = [
    attach,
    detach,
    listAttached,
    putInline,
    getInline,
    listInline,
    deleteInline,
  ];
  if (type === 'group') return operations;

  // Groups have no permissions boundary.
  const putBoundary: IamOperation<In<`Put${'User' | 'Role'}PermissionsBoundary`>> = {
    service: 'iam',
    name: `Put${label}PermissionsBoundary`,
    mutates: true,
    access: iamAccess(`Put${label}PermissionsBoundary`, resource, (i) =>
      contextKey('iam:PermissionsBoundary', i.PermissionsBoundary),
    ),
    handler: async (i, c) => {
      await c.services.iam.entityPolicies.putBoundary(c.caller.accountId, type, entityName(i), i.PermissionsBoundary);
      return {};
    },
  };
  const deleteBoundary: IamOperation<In<`Delete${'User' | 'Role'}PermissionsBoundary`>> = {
    service: 'iam',
    name: `Delete${label}PermissionsBoundary`,
    mutates: true,
    access: iamAccess(`Delete${label}PermissionsBoundary`, resource),
    handler: async (i, c) => {
      await c.services.iam.entityPolicies.deleteBoundary(c.caller.accountId, type, entityName(i));
      return {};
    },
  };
  return [...operations, putBoundary, deleteBoundary];
}

export const entityPolicyOperations = ENTITIES.flatMap(operationsOn);
