/**
 * The context keys policies refer to: authorized on `*` for policies given in the call, and against the
 * user's, group's or role's ARN for its own policies, as AWS does.
 */
import type { Operation } from '../../core/operation.js';
import type { OperationWith } from '../registry.js';
import type {
  GetContextKeysForCustomPolicyRequest,
  GetContextKeysForPolicyResponse,
  GetContextKeysForPrincipalPolicyRequest,
} from '../../contracts/wire/iam.js';
import { contextKeyNames } from '../../iam/context-keys.js';
import type { IamOperationServices } from './common.js';

type Op<I> = Operation<IamOperationServices, I, GetContextKeysForPolicyResponse>;

const custom: Op<GetContextKeysForCustomPolicyRequest> = {
  service: 'iam',
  name: 'GetContextKeysForCustomPolicy',
  mutates: false,
  access: () => [{ action: 'iam:GetContextKeysForCustomPolicy', resource: '*' }],
  handler: async (i) => ({ ContextKeyNames: contextKeyNames(i.PolicyInputList) }),
};

const principal: Op<GetContextKeysForPrincipalPolicyRequest> = {
  service: 'iam',
  name: 'GetContextKeysForPrincipalPolicy',
  mutates: false,
  access: (i) => [{ action: 'iam:GetContextKeysForPrincipalPolicy', resource: i.PolicySourceArn }],
  handler: async (i, c) => ({
    ContextKeyNames: await c.services.iam.simulator.contextKeysForPrincipal(
      c.caller.accountId,
      i.PolicySourceArn,
      i.PolicyInputList,
    ),
  }),
};

export const contextKeyOperations: OperationWith<IamOperationServices>[] = [custom, principal];
