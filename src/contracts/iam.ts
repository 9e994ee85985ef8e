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
