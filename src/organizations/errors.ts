/**
 * AWS Organizations' error codes and messages. Organizations answers every error with HTTP 400 (core/errors.ts's
 * SERVICE_STATUS) and, for
 * `ConstraintViolationException` and `InvalidInputException`, a `Reason` member the JSON protocol sends
 * beside the message.
 */
import type { InputViolation, ViolatedConstraint } from '../core/errors.js';
import { httpStatusOf, ServiceError } from '../core/errors.js';

export class OrganizationsError extends ServiceError {
  /** AWS's `Reason` member (`MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED`, `INVALID_PATTERN`…), when the code has one. */
  readonly reason: string | undefined;

  constructor(code: string, message: string, reason?: string) {
    super(code, message, httpStatusOf(code, 'organizations'), code === 'ServiceException' ? 'Receiver' : 'Sender');
    this.reason = reason;
  }
}

const error = (code: string, message: string) => () => new OrganizationsError(code, message);

export const notInUse = error('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
export const accessDenied = error('AccessDeniedException', "You don't have permissions to access this resource.");
export const alreadyInOrganization = error(
  'AlreadyInOrganizationException',
  'This account is already a member of an organization.',
);
export const accountNotFound = error('AccountNotFoundException', "You specified an account that doesn't exist.");
export const ouNotFound = error(
  'OrganizationalUnitNotFoundException',
  "You specified an organizational unit that doesn't exist.",
);
export const parentNotFound = error(
  'ParentNotFoundException',
  "We can't find a root or OU with the ParentId that you specified.",
);
export const rootNotFound = error('RootNotFoundException', "You specified a root that doesn't exist.");
export const targetNotFound = error('TargetNotFoundException', "You specified a target that doesn't exist.");
export const policyNotFound = error('PolicyNotFoundException', "You specified a policy that doesn't exist.");
export const childNotFound = error(
  'ChildNotFoundException',
  "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
);
export const sourceParentNotFound = error(
  'SourceParentNotFoundException',
  "We can't find a source root or OU with the ParentId that you specified.",
);
export const destinationParentNotFound = error(
  'DestinationParentNotFoundException',
  "We can't find the destination container (a root or OU) with the ParentId that you specified.",
);
export const duplicateAccount = error(
  'DuplicateAccountException',
  'That account is already present in the specified destination.',
);
export const duplicateOu = error('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.');
export const duplicatePolicy = error('DuplicatePolicyException', 'A policy with the same name already exists.');
export const duplicateAttachment = error(
  'DuplicatePolicyAttachmentException',
  'The selected policy is already attached to the specified target.',
);
export const policyNotAttached = error(
  'PolicyNotAttachedException',
  "The policy isn't attached to the specified target in the specified root.",
);
export const policyInUse = error(
  'PolicyInUseException',
  'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.',
);
export const policyTypeAlreadyEnabled = error(
  'PolicyTypeAlreadyEnabledException',
  'The specified policy type is already enabled.',
);
export const policyTypeNotEnabled = error(
  'PolicyTypeNotEnabledException',
  "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.",
);
export const policyTypeNotAvailable = error(
  'PolicyTypeNotAvailableForOrganizationException',
  "You can't use the specified policy type with the feature set currently enabled for this organization. For example, you can enable SCPs only after you enable all features in the organization.",
);
export const organizationNotEmpty = error(
  'OrganizationNotEmptyException',
  "The organization isn't empty. To delete an organization, you must first remove all accounts except the management account.",
);
export const ouNotEmpty = error(
  'OrganizationalUnitNotEmptyException',
  'The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.',
);
export const masterCannotLeave = error(
  'MasterCannotLeaveOrganizationException',
  "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account.",
);
export const createAccountStatusNotFound = error(
  'CreateAccountStatusNotFoundException',
  "We can't find an create account request with the CreateAccountRequestId that you specified.",
);
export const malformedPolicyDocument = (detail?: string) =>
  new OrganizationsError(
    'MalformedPolicyDocumentException',
    detail === undefined
      ? "The provided policy document doesn't meet the requirements of the specified policy type."
      : `The provided policy document doesn't meet the requirements of the specified policy type. ${detail}`,
  );

const CONSTRAINTS = {
  MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED:
    'You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.',
  MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED:
    'You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.',
  POLICY_CONTENT_LIMIT_EXCEEDED: 'You attempted to create a policy that is larger than the maximum size.',
  POLICY_NUMBER_LIMIT_EXCEEDED: 'You attempted to exceed the number of policies that you can have in an organization.',
  OU_NUMBER_LIMIT_EXCEEDED: 'You attempted to exceed the number of OUs that you can have in an organization.',
  OU_DEPTH_LIMIT_EXCEEDED: 'You attempted to create an OU tree that is too many levels deep.',
  MAX_TAG_LIMIT_EXCEEDED: 'You have exceeded the number of tags allowed on this resource.',
  ORGANIZATION_NOT_IN_ALL_FEATURES_MODE:
    'You attempted to perform an operation that requires the organization to be configured to support all features.',
  CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR:
    'You attempted to register the management account of the organization as a delegated administrator for an AWS service integrated with Organizations.',
  CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG:
    'You attempted to remove an account that is registered as a delegated administrator for a service integrated with your organization. To complete this operation, you must first deregister this account as a delegated administrator.',
  CLOSE_ACCOUNT_QUOTA_EXCEEDED: 'You have exceeded close account quota for the past 30 days.',
  SERVICE_ACCESS_NOT_ENABLED:
    'You attempted to register a delegated administrator before you enabled service access. Call the EnableAWSServiceAccess API first.',
} as const;

export function constraintViolation(reason: keyof typeof CONSTRAINTS): OrganizationsError {
  return new OrganizationsError('ConstraintViolationException', CONSTRAINTS[reason], reason);
}

const INVALID_INPUT = {
  INPUT_REQUIRED: 'You must include a value for all required parameters.',
  INVALID_PATTERN: "You provided a value that doesn't match the required pattern.",
  INVALID_PATTERN_TARGET_ID: "You specified a policy target ID that doesn't match the required pattern.",
  INVALID_ENUM: 'You specified an invalid value.',
  INVALID_ENUM_POLICY_TYPE: 'You specified an invalid policy type string.',
  MAX_LENGTH_EXCEEDED: 'You provided a string parameter that is longer than allowed.',
  MIN_LENGTH_EXCEEDED: 'You provided a string parameter that is shorter than allowed.',
  MAX_VALUE_EXCEEDED: 'You provided a numeric parameter that has a larger value than allowed.',
  MIN_VALUE_EXCEEDED: 'You provided a numeric parameter that has a smaller value than allowed.',
  INVALID_NEXT_TOKEN: 'You specified an invalid value for the nextToken request parameter.',
  IMMUTABLE_POLICY: "You specified a policy that is managed by AWS and can't be modified.",
  INVALID_ROLE_NAME: "You provided a role name that isn't valid.",
  INVALID_LIST_MEMBER: 'You provided a list to a parameter that contains at least one invalid character.',
  DUPLICATE_TAG_KEY: 'Tag keys must be unique among the tags attached to the same entity.',
  UNRECOGNIZED_SERVICE_PRINCIPAL: "You specified a service principal that isn't recognized.",
  INVALID_PARTY_TYPE_TARGET: 'You specified the wrong type for the handshake party.',
  INVALID_RESOURCE_POLICY_JSON: 'You provided a JSON document that is invalid.',
  UNSUPPORTED_ACTION_IN_RESOURCE_POLICY: 'The action is not supported in a resource policy.',
  UNSUPPORTED_POLICY_TYPE_IN_RESOURCE_POLICY: 'The policy type is not supported in a resource policy.',
} as const;

export type InvalidInputReason = keyof typeof INVALID_INPUT;

export function invalidInput(reason: InvalidInputReason, detail?: string): OrganizationsError {
  const message = detail === undefined ? INVALID_INPUT[reason] : `${INVALID_INPUT[reason]} ${detail}`;
  return new OrganizationsError('InvalidInputException', message, reason);
}

const REASON_OF_CONSTRAINT: Record<ViolatedConstraint, InvalidInputReason> = {
  required: 'INPUT_REQUIRED',
  type: 'INVALID_PATTERN',
  minLength: 'MIN_LENGTH_EXCEEDED',
  maxLength: 'MAX_LENGTH_EXCEEDED',
  enum: 'INVALID_ENUM',
  pattern: 'INVALID_PATTERN',
  minValue: 'MIN_VALUE_EXCEEDED',
  maxValue: 'MAX_VALUE_EXCEEDED',
};

/**
 * Organizations answers input its model refuses with InvalidInputException and a Reason, never the
 * protocol's ValidationException (its model has no such shape): a policy type or a target id get their own
 * reasons (INVALID_ENUM_POLICY_TYPE, INVALID_PATTERN_TARGET_ID), as the domain's own checks give them.
 */
/** The members whose enum is the policy type (EnablePolicyType's PolicyType, CreatePolicy's Type, a list's Filter). */
const POLICY_TYPE_MEMBERS = new Set(['policyType', 'type', 'filter']);

export function invalidModelInput(violation: InputViolation): OrganizationsError {
  const member = violation.path.split('.').at(-1) ?? violation.path;
  const name = member.charAt(0).toUpperCase() + member.slice(1);
  if (violation.constraint === 'enum' && POLICY_TYPE_MEMBERS.has(violation.path))
    return invalidInput('INVALID_ENUM_POLICY_TYPE');
  if (violation.constraint === 'pattern' && name === 'TargetId') return invalidInput('INVALID_PATTERN_TARGET_ID');
  return invalidInput(REASON_OF_CONSTRAINT[violation.constraint], `(${name})`);
}
export const accountAlreadyRegistered = error(
  'AccountAlreadyRegisteredException',
  'The provided account is already a delegated administrator for your organization.',
);
export const accountNotRegistered = error(
  'AccountNotRegisteredException',
  'The provided account is not a registered delegated administrator for your organization.',
);
export const concurrentModification = error(
  'ConcurrentModificationException',
  'The target of the operation is currently being modified by a different request. Try again later.',
);
export const handshakeNotFound = error(
  'HandshakeNotFoundException',
  "We can't find a handshake with the HandshakeId that you specified.",
);
export const invalidHandshakeTransition = error(
  'InvalidHandshakeTransitionException',
  "You can't perform the operation on the handshake in its current state. For example, you can't cancel a handshake that was already accepted or accept a handshake that was already declined.",
);
export const handshakeAlreadyInState = error(
  'HandshakeAlreadyInStateException',
  "The specified handshake is already in the requested state. For example, you can't accept a handshake that was already accepted.",
);
export const duplicateHandshake = error(
  'DuplicateHandshakeException',
  'A handshake with the same action and target already exists. For example, if you invited an account to join your organization, the invited account might already have a pending invitation from this organization.',
);
export const accountAlreadyClosed = error(
  'AccountAlreadyClosedException',
  'You attempted to close an account that is already closed.',
);
export const resourcePolicyNotFound = error(
  'ResourcePolicyNotFoundException',
  "We can't find a resource policy request with the parameter that you specified.",
);
export const effectivePolicyNotFound = error(
  'EffectivePolicyNotFoundException',
  "We can't find an effective policy of the specified type for the specified target.",
);

const HANDSHAKE_CONSTRAINTS = {
  ACCOUNT_NUMBER_LIMIT_EXCEEDED:
    'You attempted to exceed the limit on the number of accounts in an organization. Note that deleted and closed accounts still count toward your limit.',
  ALREADY_IN_AN_ORGANIZATION:
    'The handshake request is invalid because the invited account is already a member of an organization.',
  INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES:
    "You can't issue new invitations to join an organization while it's in the process of enabling all features. You can resume inviting accounts after you finalize the process when all accounts have agreed to the change.",
  ORGANIZATION_ALREADY_HAS_ALL_FEATURES:
    'The handshake request is invalid because the organization has already enabled all features.',
  ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION:
    'The handshake request is invalid because the organization has already started the process to enable all features.',
} as const;

export function handshakeConstraintViolation(reason: keyof typeof HANDSHAKE_CONSTRAINTS): OrganizationsError {
  return new OrganizationsError('HandshakeConstraintViolationException', HANDSHAKE_CONSTRAINTS[reason], reason);
}
export const govCloudNotEnabled = error(
  'AccessDeniedException',
  "You don't have permissions to access this resource. The organization isn't enabled to create accounts in the AWS GovCloud (US) Regions.",
);
