/**
 * The operations registry's contract: one entry per AWS operation (IAM, STS, Organizations, Cost Explorer,
 * Budgets, Account, billing console actions…). The wire protocols (Query, JSON 1.1) and the console's own
 * endpoint are thin adapters that decode input, find the operation, call authorize() and encode the output;
 * nothing else decides who may do what.
 *
 * Inputs and outputs are plain objects whose member names are those of AWS's API models
 * (`UserName`, `PolicyDocument`, `IsTruncated`…), so one handler serves every protocol.
 */
import type { ContextValue } from '../policy/types.js';

/** Who is calling, after authentication. One shape for root, IAM users and assumed-role sessions. */
export interface Caller {
  kind: 'root' | 'user' | 'assumed-role';
  accountId: string;
  /** The principal's ARN: `arn:aws:iam::123456789012:root`, `…:user/Alice`, `arn:aws:sts::…:assumed-role/R/session`. */
  arn: string;
  /** AWS's unique id (`AIDA…` for a user, `AROA…:session` for a role session, the account id for root). */
  userId: string;
  /** The user's or role's name (absent for root). */
  name?: string;
  /** For an assumed-role session: the role's ARN, the session name, and the session policy if one was passed. */
  roleArn?: string;
  sessionName?: string;
  /** The access key the request was signed with (absent for console sessions). */
  accessKeyId?: string;
  /** True when the caller authenticated with MFA (console sign-in with TOTP, or GetSessionToken with a code). */
  mfaAuthenticated?: boolean;
}

/** Facts about the request that are not part of the operation's input; they feed condition keys and the audit. */
export interface RequestFacts {
  requestId: string;
  sourceIp: string;
  userAgent: string;
  /** The server's clock at the start of the request (injected; never read by the engine itself). */
  now: Date;
  /** Where the call came from: an AWS protocol, or the web console. */
  via: 'query' | 'json' | 'console';
}

/** An operation-specific authorization question; most operations ask exactly one. */
export interface AccessRequest {
  action: string;
  resource: string;
  resourceAccount?: string;
  context?: Record<string, ContextValue>;
}

export interface OperationContext<Services> {
  caller: Caller;
  facts: RequestFacts;
  services: Services;
}

export interface Operation<Services, Input = Record<string, unknown>, Output = Record<string, unknown>> {
  /** The service prefix the operation belongs to (`iam`, `sts`, `organizations`, `ce`, `budgets`, `account`…). */
  service: string;
  /** The operation's name in AWS's API model (`CreateUser`). */
  name: string;
  /**
   * What must be allowed before the handler runs. `null` means the operation needs no permission
   * (as `sts:GetCallerIdentity`, which AWS always allows). Async where the resource depends on stored state
   * another instance may change (an IAM entity's path).
   */
  access: (input: Input, ctx: OperationContext<Services>) => AccessRequest[] | null | Promise<AccessRequest[] | null>;
  /** Whether a successful call changes state (state changes are always audited; reads only when denied). */
  mutates: boolean;
  handler: (input: Input, ctx: OperationContext<Services>) => Promise<Output>;
}
