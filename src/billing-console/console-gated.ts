/**
 * Puts console calls of billing data operations behind their page's gate. A wrapped operation asks the
 * APIs for its own actions, unchanged; called from the console it answers to the page instead (see
 * CONSOLE_OPERATION_GATES). The composition root wraps the operations before registering them.
 */
import type { AnyOperation } from '../operations/registry.js';
import type { OperationContext } from '../operations/types.js';
import type { BillingConsoleGate } from './gate.js';
import { CONSOLE_OPERATION_GATES } from './pages.js';

export function withConsoleGates<T extends AnyOperation>(operations: readonly T[], gate: BillingConsoleGate): T[] {
  return operations.map((operation) => {
    const page = CONSOLE_OPERATION_GATES[`${operation.service}:${operation.name}`];
    if (page === undefined) return operation;
    return {
      ...operation,
      access: (input: unknown, ctx: OperationContext<unknown>) =>
        ctx.facts.via === 'console' ? null : operation.access(input, ctx),
      handler: async (input: unknown, ctx: OperationContext<unknown>) => {
        if (ctx.facts.via === 'console') await gate.require(ctx.caller, ctx.facts, page.page, page.button);
        return operation.handler(input, ctx);
      },
    };
  });
}
