/**
 * DecodeAuthorizationMessage: reads the encoded message a denial carried (src/operations/authorization-
 * messages.ts) for a caller of the account the denial was in, allowed `sts:DecodeAuthorizationMessage`.
 */
import type { Operation } from '../../core/operation.js';
import type * as W from '../../contracts/wire/sts.js';
import type { StsServices } from './role-sessions.js';

export const decodeAuthorizationMessage: Operation<
  StsServices,
  W.DecodeAuthorizationMessageRequest,
  W.DecodeAuthorizationMessageResponse
> = {
  service: 'sts',
  name: 'DecodeAuthorizationMessage',
  access: () => [{ action: 'sts:DecodeAuthorizationMessage', resource: '*' }],
  mutates: false,
  handler: async (input, { caller, services }) => ({
    DecodedMessage: services.authorizationMessages.decode(input.EncodedMessage, caller.accountId),
  }),
};
