/**
 * What the console's endpoints need from the rest of Bursar, as narrow interfaces the composition root
 * fills in: the IAM service's account sign-up and password checks, and the Edge's invoke(), the one
 * authorization choke point every console operation goes through.
 */
import type { Caller, RequestFacts } from '../core/operation.js';

/** The Edge's single entry for running an operation as a caller (authorization, audit, handler). */
export type Invoke = (
  caller: Caller,
  facts: RequestFacts,
  service: string,
  operationName: string,
  input: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** A password that matched: who it is, and what must happen before the session is fully signed in. */
export interface PasswordMatch {
  caller: Caller;
  /** The login profile says "password reset required": the user must change it first. */
  passwordResetRequired: boolean;
  /** The principal has at least one MFA device: a TOTP code is asked for next. */
  hasMfaDevice: boolean;
}

export interface SignUpInput {
  email: string;
  password: string;
  accountName: string;
}

/** The IAM service's side of console sign-in. Every method answers `null` for "no", never saying why. */
export interface ConsoleAccounts {
  /** Creates a standalone account with its root user; throws ServiceError on bad input or a taken email. */
  signUp(input: SignUpInput, facts: RequestFacts): Promise<{ accountId: string }>;
  authenticateRoot(email: string, password: string, now: Date): Promise<PasswordMatch | null>;
  /** The account a sign-in name (12-digit id or alias) names, so both spellings share one throttle. */
  accountIdFor(signInName: string): Promise<string | null>;
  /** `account` is a 12-digit account id or an account alias. */
  authenticateUser(account: string, userName: string, password: string, now: Date): Promise<PasswordMatch | null>;
  /** Whether `code` is a current TOTP code of one of the principal's MFA devices. */
  verifyMfaCode(caller: Caller, code: string, now: Date): Promise<boolean>;
  accountAlias(accountId: string): Promise<string | null>;
}
