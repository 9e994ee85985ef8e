/**
 * The operations registry: every AWS operation Bursar serves, found by its service prefix and model
 * name. Areas export arrays of operations; the composition root registers them all here (at start, so an
 * operation that does not say what it needs stops the server there), and the protocol adapters and the
 * console reach them only through invoke().
 */
import type { AccessRequest, AnyOperation, Operation, OperationContext } from '../core/operation.js';

/**
 * An operation invoke() can run with `Services`: one whose handler and access rule need no service the
 * composition root does not provide (a missing or mistyped service is a compile error where it registers).
 */
// Inputs and outputs differ per operation; the model validates them before the handler runs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OperationWith<Services> = Operation<Services, any, any>;

/**
 * The registry of the services `Services` (the composition root's); a registry built without saying which
 * (a test's) accepts operations over any services.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class OperationRegistry<Services = any> {
  private readonly operations = new Map<string, OperationWith<Services>>();

  register(...operations: OperationWith<Services>[]): this {
    for (const operation of operations) {
      const key = `${operation.service}:${operation.name}`;
      if (this.operations.has(key)) throw new Error(`operation registered twice: ${key}`);
      if (!declaresAccess(operation)) {
        throw new Error(`operation ${key} declares no access rules: give its access requests, or { none: reason }`);
      }
      this.operations.set(key, operation);
    }
    return this;
  }

  find(service: string, name: string): OperationWith<Services> | undefined {
    return this.operations.get(`${service}:${name}`);
  }

  /** The operation names a service has, sorted (for diagnostics and the status table). */
  names(service: string): string[] {
    return [...this.operations.values()]
      .filter((operation) => operation.service === service)
      .map((operation) => operation.name)
      .sort();
  }
}

/** Whether an operation says what it needs: an access function, or a non-empty reason for needing nothing. */
function declaresAccess(operation: AnyOperation): boolean {
  const access: unknown = operation.access;
  if (typeof access === 'function') return true;
  if (typeof access !== 'object' || access === null) return false;
  const reason: unknown = (access as { none?: unknown }).none;
  return typeof reason === 'string' && reason.trim() !== '';
}

/** The requests an operation declares for one call; null for an operation that needs no permission. */
export function declaredAccess<Services, Input>(
  operation: Operation<Services, Input, unknown>,
  input: Input,
  ctx: OperationContext<Services>,
): AccessRequest[] | Promise<AccessRequest[]> | null {
  return typeof operation.access === 'function' ? operation.access(input, ctx) : null;
}
