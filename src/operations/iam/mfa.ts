/** Virtual MFA devices: create and delete them, enable one for a user (or the root user), list them. */
import type {
  CreateVirtualMFADeviceRequest,
  DeactivateMFADeviceRequest,
  DeleteVirtualMFADeviceRequest,
  EnableMFADeviceRequest,
  ListMFADevicesRequest,
  ListVirtualMFADevicesRequest,
  ResyncMFADeviceRequest,
} from '../../contracts/wire/iam.js';
import {
  anyResource,
  arn,
  iamAccess,
  selfResource,
  tagContext,
  targetUser,
  userArn,
  type IamOperation,
} from './common.js';
import { paginate } from './pagination.js';

const createVirtualMFADevice: IamOperation<CreateVirtualMFADeviceRequest> = {
  service: 'iam',
  name: 'CreateVirtualMFADevice',
  mutates: true,
  access: iamAccess(
    'CreateVirtualMFADevice',
    (i, c) => arn(c, 'mfa', i.VirtualMFADeviceName, i.Path),
    (i) => tagContext(i.Tags),
  ),
  handler: async (i, c) => {
    // Only AWS's members: the console's extras (otpauthUri, seedBase32) stay out of the API's answer.
    const { VirtualMFADevice } = await c.services.iam.mfa.createVirtual(c.caller.accountId, i);
    return { VirtualMFADevice };
  },
};

const deleteVirtualMFADevice: IamOperation<DeleteVirtualMFADeviceRequest> = {
  service: 'iam',
  name: 'DeleteVirtualMFADevice',
  mutates: true,
  access: iamAccess('DeleteVirtualMFADevice', (i) => i.SerialNumber || '*'),
  handler: async (i, c) => {
    await c.services.iam.mfa.deleteVirtual(c.caller.accountId, i.SerialNumber);
    return {};
  },
};

const listVirtualMFADevices: IamOperation<ListVirtualMFADevicesRequest> = {
  service: 'iam',
  name: 'ListVirtualMFADevices',
  mutates: false,
  access: iamAccess('ListVirtualMFADevices', anyResource),
  handler: async (i, c) =>
    paginate(await c.services.iam.mfa.listVirtual(c.caller.accountId, i.AssignmentStatus), i, 'VirtualMFADevices'),
};

const enableMFADevice: IamOperation<EnableMFADeviceRequest> = {
  service: 'iam',
  name: 'EnableMFADevice',
  mutates: true,
  access: iamAccess('EnableMFADevice', selfResource),
  handler: async (i, c) => {
    await c.services.iam.mfa.enable(
      c.caller.accountId,
      targetUser(i, c),
      i.SerialNumber,
      i.AuthenticationCode1,
      i.AuthenticationCode2,
    );
    return {};
  },
};

const resyncMFADevice: IamOperation<ResyncMFADeviceRequest> = {
  service: 'iam',
  name: 'ResyncMFADevice',
  mutates: true,
  access: iamAccess('ResyncMFADevice', userArn),
  handler: async (i, c) => {
    await c.services.iam.mfa.resync(
      c.caller.accountId,
      i.UserName,
      i.SerialNumber,
      i.AuthenticationCode1,
      i.AuthenticationCode2,
    );
    return {};
  },
};

const deactivateMFADevice: IamOperation<DeactivateMFADeviceRequest> = {
  service: 'iam',
  name: 'DeactivateMFADevice',
  mutates: true,
  access: iamAccess('DeactivateMFADevice', selfResource),
  handler: async (i, c) => {
    await c.services.iam.mfa.deactivate(c.caller.accountId, targetUser(i, c), i.SerialNumber);
    return {};
  },
};

const listMFADevices: IamOperation<ListMFADevicesRequest> = {
  service: 'iam',
  name: 'ListMFADevices',
  mutates: false,
  access: iamAccess('ListMFADevices', selfResource),
  handler: async (i, c) =>
    paginate(await c.services.iam.mfa.listForUser(c.caller.accountId, targetUser(i, c)), i, 'MFADevices'),
};

export const mfaOperations = [
  createVirtualMFADevice,
  deleteVirtualMFADevice,
  listVirtualMFADevices,
  enableMFADevice,
  resyncMFADevice,
  deactivateMFADevice,
  listMFADevices,
];
