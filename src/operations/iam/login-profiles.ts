/** Console passwords: a user's login profile, and a user changing their own password. */
import type {
  ChangePasswordRequest,
  CreateLoginProfileRequest,
  DeleteLoginProfileRequest,
  GetLoginProfileRequest,
  UpdateLoginProfileRequest,
} from '../../contracts/wire/iam.js';
import { invalidUserType } from '../../iam/errors.js';
import { iamAccess, requireTargetUser, selfResource, userArn, type IamOperation } from './common.js';

const createLoginProfile: IamOperation<CreateLoginProfileRequest> = {
  service: 'iam',
  name: 'CreateLoginProfile',
  mutates: true,
  access: iamAccess('CreateLoginProfile', selfResource),
  handler: async (i, c) =>
    c.services.iam.loginProfiles.create(c.caller.accountId, { ...i, UserName: requireTargetUser(i, c) }),
};

const getLoginProfile: IamOperation<GetLoginProfileRequest> = {
  service: 'iam',
  name: 'GetLoginProfile',
  mutates: false,
  access: iamAccess('GetLoginProfile', selfResource),
  handler: async (i, c) => c.services.iam.loginProfiles.get(c.caller.accountId, requireTargetUser(i, c)),
};

const updateLoginProfile: IamOperation<UpdateLoginProfileRequest> = {
  service: 'iam',
  name: 'UpdateLoginProfile',
  mutates: true,
  access: iamAccess('UpdateLoginProfile', userArn),
  handler: async (i, c) => {
    await c.services.iam.loginProfiles.update(c.caller.accountId, i);
    return {};
  },
};

const deleteLoginProfile: IamOperation<DeleteLoginProfileRequest> = {
  service: 'iam',
  name: 'DeleteLoginProfile',
  mutates: true,
  access: iamAccess('DeleteLoginProfile', selfResource),
  handler: async (i, c) => {
    await c.services.iam.loginProfiles.delete(c.caller.accountId, requireTargetUser(i, c));
    return {};
  },
};

const changePassword: IamOperation<ChangePasswordRequest> = {
  service: 'iam',
  name: 'ChangePassword',
  mutates: true,
  // On the calling user: ChangePassword has no UserName.
  access: iamAccess('ChangePassword', (_i, c) => selfResource({}, c)),
  handler: async (i, c) => {
    if (c.caller.kind !== 'user' || !c.caller.name) {
      throw invalidUserType('Only IAM users can change their own password with this operation.');
    }
    await c.services.iam.loginProfiles.changeOwnPassword(
      c.caller.accountId,
      c.caller.name,
      i.OldPassword,
      i.NewPassword,
    );
    return {};
  },
};

export const loginProfileOperations = [
  createLoginProfile,
  getLoginProfile,
  updateLoginProfile,
  deleteLoginProfile,
  changePassword,
];
