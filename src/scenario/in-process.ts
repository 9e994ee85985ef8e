/**
 * The scenario's clients for the console: each SDK command becomes the same operation run in the server as
 * the signed-in caller (`OperationContext.call`, i.e. invoke() again), so every read and every step of an
 * apply is validated, authorized by the caller's own policies and the account's rules, and audited as if the
 * caller had made it — a scenario applied from the console can do nothing its user could not do call by call.
 */
import { ServiceError } from '../core/errors.js';
import type { Clients } from './target.js';

type Call = (service: string, operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

function sender(call: Call, service: string) {
  return {
    async send(command: { input: unknown }): Promise<unknown> {
      // An SDK command's class is its operation's name and `Command`: CreateUserCommand → CreateUser.
      const operation = command.constructor.name.replace(/Command$/, '');
      try {
        return await call(service, operation, command.input as Record<string, unknown>);
      } catch (error) {
        // The SDK names an error by its code; the scenario code tells "not there" from a failure by it.
        if (error instanceof ServiceError) error.name = error.code;
        throw error;
      }
    },
  };
}

export function inProcessClients(call: Call): Clients {
  return {
    iam: sender(call, 'iam') as Clients['iam'],
    sts: sender(call, 'sts') as Clients['sts'],
    organizations: sender(call, 'organizations') as Clients['organizations'],
    budgets: sender(call, 'budgets') as Clients['budgets'],
    billing: (operation, input) => call('billing', operation, input),
    portal: (operation, input) => call('aws-portal', operation, input),
    ce: (operation, input) => call('ce', operation, input),
    bursar: true,
  };
}
