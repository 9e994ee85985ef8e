/**
 * The policy engine's public data types. These are a contract shared by the engine, the command line
 * (`bursar policy evaluate`), the test corpus and the server's authorize() choke point: change them
 * only compatibly.
 */

/** The three outcomes of AWS's evaluation logic. */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** The kinds of policy that take part in one evaluation. */
export type PolicyType = 'identity' | 'resource' | 'permissionBoundary' | 'session' | 'scp' | 'rcp';

/** Values of a request context key: IAM condition keys are single- or multi-valued strings. */
export type ContextValue = string | string[];

/**
 * One authorization question, as the command line and the corpus spell it.
 * `resourceAccount` absent means the principal's own account.
 */
export interface RequestInput {
  principal: string;
  action: string;
  resource: string;
  resourceAccount?: string;
  context?: Record<string, ContextValue>;
}

/**
 * The raw (uncompiled) policies of one evaluation, as the command line and the corpus spell them.
 * Every member but `identity` is optional: absent means that policy type does not apply.
 * `scps` and `rcps` are one array per level of the organization (root, OUs…, account): every level must allow.
 */
export interface PolicySetInput {
  identity: unknown[];
  resource?: unknown;
  permissionBoundary?: unknown;
  session?: unknown;
  scps?: unknown[][];
  rcps?: unknown[][];
}

/** One case of `bursar policy evaluate` (and of the test corpus, which adds a name and `expected`). */
export interface EvaluationCase {
  request: RequestInput;
  policies: PolicySetInput;
}

/** Points at one statement of one policy: what allowed or denied. */
export interface StatementRef {
  policyType: PolicyType;
  /** The caller's id for the policy (a policy ARN in the server; `identity[0]`, `scps[1][0]`… on the command line). */
  policyId: string;
  /** Zero-based index of the statement in the document's Statement list. */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
}

/** What the engine answers: the decision and why, as data. */
export interface EvaluationResult {
  decision: Decision;
  /** One human sentence, in AWS's wording where AWS has one. */
  explanation: string;
  /** For Allowed: the Allow statements that granted; for ExplicitlyDenied: the Deny statements that matched. */
  matched: StatementRef[];
  /** The policy types that refused (empty when Allowed). */
  blockedBy: PolicyType[];
  /** Condition keys that conditions referred to but the request context did not carry. */
  missingContextKeys: string[];
  /**
   * Set when a rule AWS's services enforce above policies decided instead of the policies (an AWS managed
   * policy, a service-linked role, an `alias/aws/` KMS alias cannot be changed): the rule, in words.
   */
  serviceRule?: string;
}
