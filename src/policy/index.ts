/**
 * `bursar/policy`: the IAM policy language as a pure library. Compile documents when they are written,
 * group a principal's policies into a set, then ask `evaluate(request, set)` as often as needed.
 *
 * ```ts
 * const p = compilePolicy(doc, { policyType: 'identity', policyId: 'arn:aws:iam::123456789012:policy/Billing' });
 * if (!p.ok) throw new Error(p.errors.join('; '));
 * const set = createPolicySet({ identity: [p.policy] });
 * evaluate({ principal, action: 'aws-portal:ViewBilling', resource: '*' }, set).decision; // 'Allowed'
 * ```
 */
export type * from './types.js';
export type { CompiledPolicy, CompiledStatement, CompileResult, PolicyRefInput } from './compile.js';
export type { PolicySetParts } from './policy-set.js';
export type { EvaluateOptions } from './evaluate.js';
export type { ParseResult, PolicyDocument, StatementDocument } from './document.js';
export { compilePolicy, statementsForAction } from './compile.js';
export { CompiledPolicySet, createPolicySet } from './policy-set.js';
export { evaluate, EVALUATION_ORDER } from './evaluate.js';
export { evaluateCase, PolicyCaseError } from './evaluate-case.js';
export { explain } from './explain.js';
export { parseDocument } from './document.js';
export { validatePolicy } from './validate.js';
export type { CatalogView, ConditionKeyType, Finding, FindingType, PolicyKind } from './validate.js';
