/**
 * STS: GetCallerIdentity (needs no permission), AssumeRole (the role's trust policy is evaluated as a
 * resource policy with the caller as principal, beside the caller's own policies), GetSessionToken.
 */
import { ServiceError, validationError } from '../../core/errors.js';
import type { Caller, Operation } from '../../core/operation.js';
import type { StsSessions } from '../../iam/sts/sessions.js';

export interface RoleForAssume {
  arn: string;
  roleId: string;
  name: string;
  accountId: string;
  maxSessionDuration: number;
  trustPolicy: string;
}

export interface StsServices {
  sts: StsSessions;
  /** Finds a role by its ARN (any account in this installation). */
  findRole(roleArn: string): Promise<RoleForAssume | undefined>;
  /** Whether `code` is the current TOTP code of the caller's MFA device `serialNumber`. */
  verifyMfa?(caller: Caller, serialNumber: string, code: string, now: Date): Promise<boolean>;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]{1,64})$/;
const ROLE_CHAINING_LIMIT = 3600;

export const getCallerIdentity: Operation<StsServices> = {
  service: 'sts',
  name: 'GetCallerIdentity',
  access: { none: 'AWS answers GetCallerIdentity for every caller; no policy can deny it.' },
  mutates: false,
  handler: async (_input, { caller }) => ({ UserId: caller.userId, Account: caller.accountId, Arn: caller.arn }),
};

interface AssumeRoleInput {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
  Policy?: string;
  PolicyArns?: Array<{ arn?: string }>;
  SerialNumber?: string;
  TokenCode?: string;
}

function packedPolicySize(policy: string | undefined, arns: string[]): number | undefined {
  if (policy === undefined && arns.length === 0) return undefined;
  // AWS reports the packed size as a percentage of the allowed maximum; the raw length is a fair stand-in.
  const size = (policy?.replace(/\s+/g, '').length ?? 0) + arns.join('').length;
  return Math.min(100, Math.ceil((size / 2048) * 100));
}

export const assumeRole: Operation<StsServices, AssumeRoleInput> = {
  service: 'sts',
  name: 'AssumeRole',
  // The role's trust policy joins the caller's own policies (the Authority finds it by the role's ARN).
  access: (input, { caller }) => {
    const match = ROLE_ARN.exec(input.RoleArn);
    if (match === null) throw validationError(`${input.RoleArn} is invalid`);
    const mfa = caller.mfaAuthenticated === true || input.TokenCode !== undefined;
    return [
      {
        action: 'sts:AssumeRole',
        resource: input.RoleArn,
        resourceAccount: match[1]!,
        withResourcePolicy: true,
        context: {
          'aws:MultiFactorAuthPresent': mfa ? 'true' : 'false',
          'sts:RoleSessionName': input.RoleSessionName,
        },
      },
    ];
  },
  mutates: true,
  handler: async (input, { caller, facts, services }) => {
    const role = await services.findRole(input.RoleArn);
    // invoke() refused a role that does not exist; this one was deleted since, and is answered the same way.
    if (role === undefined) {
      const refusal = `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`;
      throw new ServiceError('AccessDenied', refusal);
    }

    const chained = caller.kind === 'assumed-role';
    const duration = input.DurationSeconds ?? 3600;
    if (chained && duration > ROLE_CHAINING_LIMIT) {
      throw validationError(
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    }
    if (duration > role.maxSessionDuration) {
      throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
      const ok =
        input.SerialNumber !== undefined &&
        input.TokenCode !== undefined &&
        services.verifyMfa !== undefined &&
        (await services.verifyMfa(caller, input.SerialNumber, input.TokenCode, facts.now));
      if (!ok)
        throw new ServiceError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    }
    const mfa = caller.mfaAuthenticated === true || input.TokenCode !== undefined;

    const policyArns = (input.PolicyArns ?? []).map((p) => p.arn).filter((arn): arn is string => arn !== undefined);
    const sessionArn = `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${input.RoleSessionName}`;
    const assumedRoleId = `${role.roleId}:${input.RoleSessionName}`;
    const credentials = await services.sts.issue({
      caller: {
        kind: 'assumed-role',
        accountId: role.accountId,
        arn: sessionArn,
        userId: assumedRoleId,
        name: role.name,
        roleArn: role.arn,
        sessionName: input.RoleSessionName,
        mfaAuthenticated: mfa,
      },
      kind: 'assumed-role',
      durationSeconds: duration,
      sessionPolicy: input.Policy,
      sessionPolicyArns: policyArns,
    });
    const packed = packedPolicySize(input.Policy, policyArns);
    return {
      Credentials: credentials,
      AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: sessionArn },
      ...(packed === undefined ? {} : { PackedPolicySize: packed }),
    };
  },
};

interface GetSessionTokenInput {
  DurationSeconds?: number;
  SerialNumber?: string;
  TokenCode?: string;
}

export const getSessionToken: Operation<StsServices, GetSessionTokenInput> = {
  service: 'sts',
  name: 'GetSessionToken',
  access: { none: 'AWS lets every IAM user and root user call GetSessionToken; policies cannot restrict it.' },
  mutates: true,
  handler: async (input, { caller, facts, services }) => {
    if (caller.kind === 'assumed-role' || caller.accessKeyId?.startsWith('ASIA') === true) {
      throw new ServiceError('AccessDenied', 'Cannot call GetSessionToken with session credentials');
    }
    const max = caller.kind === 'root' ? 3600 : 129600;
    const duration = input.DurationSeconds ?? (caller.kind === 'root' ? 3600 : 43200);
    if (duration > max) {
      throw validationError(
        caller.kind === 'root'
          ? 'The requested DurationSeconds exceeds the 1 hour session limit for root users.'
          : `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600`,
      );
    }
    let mfa = false;
    if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
      mfa =
        input.SerialNumber !== undefined &&
        input.TokenCode !== undefined &&
        services.verifyMfa !== undefined &&
        (await services.verifyMfa(caller, input.SerialNumber, input.TokenCode, facts.now));
      if (!mfa)
        throw new ServiceError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    }
    const credentials = await services.sts.issue({
      caller: { ...caller, mfaAuthenticated: mfa },
      kind: 'session-token',
      durationSeconds: duration,
    });
    return { Credentials: credentials };
  },
};

export const stsOperations = [getCallerIdentity, assumeRole, getSessionToken];
