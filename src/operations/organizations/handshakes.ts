/**
 * Handshakes (src/organizations/handshakes.ts): invitations and the all-features request. Accept, Decline,
 * Cancel and Describe are authorized on the handshake's ARN (`…:handshake/o-…/<action>/h-…`), read from the
 * store since the invited account is in no organization this process could spell it from.
 */
import type {
  AcceptHandshakeRequest,
  CancelHandshakeRequest,
  DeclineHandshakeRequest,
  DescribeHandshakeRequest,
  InviteAccountToOrganizationRequest,
  ListHandshakesForAccountRequest,
  ListHandshakesForOrganizationRequest,
} from '../../contracts/wire/organizations.js';
import type { AccessRule } from '../../core/operation.js';
import {
  actingAccount,
  ask,
  me,
  org,
  orgAccess,
  paged,
  type OrganizationsServices,
  type OrgContext,
  type OrgOperation,
} from './common.js';

function onHandshake(name: string): AccessRule<OrganizationsServices, { HandshakeId: string }> {
  return async (i: { HandshakeId: string }, c: OrgContext) => [ask(name, await org(c).handshakes.arnOf(i.HandshakeId))];
}

const inviteAccountToOrganization: OrgOperation<InviteAccountToOrganizationRequest> = {
  service: 'organizations',
  name: 'InviteAccountToOrganization',
  mutates: true,
  access: orgAccess('InviteAccountToOrganization'),
  handler: async (i, c) => org(c).handshakes.invite(me(c), i.Target, i.Notes, i.Tags),
};

const acceptHandshake: OrgOperation<AcceptHandshakeRequest> = {
  service: 'organizations',
  name: 'AcceptHandshake',
  mutates: true,
  access: onHandshake('AcceptHandshake'),
  handler: async (i, c) => org(c).handshakes.accept(me(c), i.HandshakeId),
};

const declineHandshake: OrgOperation<DeclineHandshakeRequest> = {
  service: 'organizations',
  name: 'DeclineHandshake',
  mutates: true,
  access: onHandshake('DeclineHandshake'),
  handler: async (i, c) => org(c).handshakes.decline(me(c), i.HandshakeId),
};

const cancelHandshake: OrgOperation<CancelHandshakeRequest> = {
  service: 'organizations',
  name: 'CancelHandshake',
  mutates: true,
  access: onHandshake('CancelHandshake'),
  handler: async (i, c) => org(c).handshakes.cancel(me(c), i.HandshakeId),
};

const describeHandshake: OrgOperation<DescribeHandshakeRequest> = {
  service: 'organizations',
  name: 'DescribeHandshake',
  mutates: false,
  access: onHandshake('DescribeHandshake'),
  handler: async (i, c) => org(c).handshakes.describe(me(c), i.HandshakeId),
};

const listHandshakesForAccount: OrgOperation<ListHandshakesForAccountRequest> = {
  service: 'organizations',
  name: 'ListHandshakesForAccount',
  mutates: false,
  access: orgAccess('ListHandshakesForAccount'),
  handler: async (i, c) => paged(i, 'Handshakes', await org(c).handshakes.listForAccount(me(c), i.Filter)),
};

const listHandshakesForOrganization: OrgOperation<ListHandshakesForOrganizationRequest> = {
  service: 'organizations',
  name: 'ListHandshakesForOrganization',
  mutates: false,
  access: orgAccess('ListHandshakesForOrganization'),
  handler: async (i, c) =>
    paged(
      i,
      'Handshakes',
      await org(c).handshakes.listForOrganization(await actingAccount(c, 'ListHandshakesForOrganization'), i.Filter),
    ),
};

const enableAllFeatures: OrgOperation<Record<string, never>> = {
  service: 'organizations',
  name: 'EnableAllFeatures',
  mutates: true,
  access: orgAccess('EnableAllFeatures'),
  handler: async (_i, c) => org(c).handshakes.enableAllFeatures(me(c)),
};

export const handshakeOperations = [
  inviteAccountToOrganization,
  acceptHandshake,
  declineHandshake,
  cancelHandshake,
  describeHandshake,
  listHandshakesForAccount,
  listHandshakesForOrganization,
  enableAllFeatures,
];
