/**
 * The operations registry's contract: one entry per AWS operation (IAM, STS, Organizations, Cost Explorer,
 * Budgets, Account, billing console actions…). The wire protocols (Query, JSON 1.1) and the console's own
 * endpoint are thin adapters that decode input and call invoke(), which authorizes every call from what the
 * operation declares; nothing else decides who may do what.
 *
 * Inputs and outputs are plain objects whose member names are those of AWS's API models
 * (`UserName`, `PolicyDocument`, `IsTruncated`…), so one handler serves every protocol.
 */
import type { ContextValue } from '../policy/types.js';
import type { InputViolation, ServiceError } from './errors.js';

/**
 * Who is calling, after authentication. One shape for root, IAM users and assumed-role sessions; `anonymous`
 * for the unsigned calls AWS's models allow (AssumeRoleWithWebIdentity: the token in the input says who asks).
 */
export interface Caller {
  kind: 'root' | 'user' | 'assumed-role' | 'federated-user' | 'anonymous';
  accountId: string;
  /** The principal's ARN: `arn:aws:iam::123456789012:root`, `…:user/Alice`, `arn:aws:sts::…:assumed-role/R/session`. */
  arn: string;
  /** AWS's unique id (`AIDA…` for a user, `AROA…:session` for a role session, the account id for root). */
  userId: string;
  /** The user's or role's name (absent for root); a federated user's name. */
  name?: string;
  /**
   * For a federated user (GetFederationToken): the IAM user id (`AIDA…`) whose policies bound its session
   * policy, or the account id when the root user asked.
   */
  federatedBy?: string;
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

/** The caller of an unsigned call, until its operation has checked who it is. */
export const ANONYMOUS_CALLER: Caller = { kind: 'anonymous', accountId: '', arn: 'anonymous', userId: 'anonymous' };

/** An operation-specific authorization question; most operations ask exactly one. */
export interface AccessRequest {
  action: string;
  resource: string;
  /**
   * The principal asking, when it is not the caller: an anonymous call's federated identity (the OIDC
   * provider that issued a web identity token). Only a resource policy can name it, so the caller's own
   * policies play no part.
   */
  principal?: string;
  resourceAccount?: string;
  context?: Record<string, ContextValue>;
  /**
   * The resource's own policy joins the evaluation (a role's trust policy, for `sts:AssumeRole`); the
   * Authority finds it by the resource's ARN, and a resource that has none allows nothing.
   */
  withResourcePolicy?: true;
  /**
   * A refusal the operation's own rule decides whatever the policies say (an account the caller may not act
   * on, a setting only the root user may change); invoke() reports it once the policies have allowed the
   * call, as AWS does, and keeps it when an account rule asks other questions in this request's place.
   */
  refusedAfterPolicies?: { message: string; code?: string; status?: number };
}

/** The access one principal gained and lost through a change (columns: Billing console pages and buttons). */
export interface AccessChangeRecord {
  principalArn: string;
  principalType: string;
  name: string;
  gained: string[];
  lost: string[];
}

/** What an operation adds to its call's audit event beyond the call itself. */
export interface AuditAddition {
  accessChanges?: AccessChangeRecord[];
}

export interface OperationContext<Services> {
  caller: Caller;
  facts: RequestFacts;
  services: Services;
  /** Adds to the call's audit event (invoke() gives it; absent where no event is written). */
  addToAudit?: (addition: AuditAddition) => void;
  /**
   * Runs another operation as this call's caller, through invoke() again: validated, put to the account
   * rules and the caller's own policies, and audited as a call of its own. For an operation made of other
   * operations (`bursar:ApplyScenario`), so that each step needs exactly what it needs on its own.
   */
  call?: (service: string, operationName: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

/**
 * An operation that needs no permission, and why: a visible decision, never an omission (the registry
 * refuses an operation that declares neither requests nor a reason).
 */
export interface NoPermissionNeeded {
  none: string;
}

/** What must be allowed before the handler runs: the requests for this call, or a stated reason for none. */
export type AccessRule<Services, Input> =
  ((input: Input, ctx: OperationContext<Services>) => AccessRequest[] | Promise<AccessRequest[]>) | NoPermissionNeeded;

export interface Operation<Services, Input = Record<string, unknown>, Output = Record<string, unknown>> {
  /** The service prefix the operation belongs to (`iam`, `sts`, `organizations`, `ce`, `budgets`, `account`…). */
  service: string;
  /** The operation's name in AWS's API model (`CreateUser`). */
  name: string;
  /**
   * What must be allowed before the handler runs (invoke() asks the account rules and the engine), or
   * `{ none: reason }` for an operation AWS lets every caller run (as `sts:GetCallerIdentity`). Async where
   * the resource depends on stored state another instance may change (an IAM entity's path).
   */
  access: AccessRule<Services, Input>;
  /** Whether a successful call changes state (state changes are always audited; reads only when denied). */
  mutates: boolean;
  /**
   * How the service answers input its API model refuses. Absent: the protocol's validation error
   * (ValidationError / ValidationException). Organizations answers InvalidInputException with a Reason.
   */
  invalidInput?: (violation: InputViolation) => ServiceError;
  handler: (input: Input, ctx: OperationContext<Services>) => Promise<Output>;
}

// Each area's operations are typed against that area's services; the operations registry holds them side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any, any, any>;
