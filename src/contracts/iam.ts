/** IAM shapes as Bursar returns them, where it promises more than AWS's model requires. */
import type { Returned } from './json.js';
import type * as iam from './wire/iam.js';

/** GetAccountPasswordPolicy's answer: the server fills in every switch, set or not. */
export type PasswordPolicy = Returned<
  iam.PasswordPolicy,
  | 'MinimumPasswordLength'
  | 'RequireSymbols'
  | 'RequireNumbers'
  | 'RequireUppercaseCharacters'
  | 'RequireLowercaseCharacters'
  | 'AllowUsersToChangePassword'
  | 'ExpirePasswords'
>;

/** ListEntitiesForPolicy's answer: the three lists are always there, each entry with its name. */
export interface PolicyEntities {
  PolicyGroups: Returned<iam.PolicyGroup, 'GroupName'>[];
  PolicyUsers: Returned<iam.PolicyUser, 'UserName'>[];
  PolicyRoles: Returned<iam.PolicyRole, 'RoleName'>[];
}

/** A ListPolicyVersions entry: its id and whether it is the default (no document, as AWS lists them). */
export type ListedPolicyVersion = Returned<iam.PolicyVersion, 'VersionId' | 'IsDefaultVersion'>;
