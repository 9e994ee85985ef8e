/**
 * The operations registry: every AWS operation Bursar serves, found by its service prefix and model
 * name. Areas export arrays of operations; the composition root registers them all here, and the
 * protocol adapters and the console reach them only through invoke().
 */
import type { Operation } from './types.js';

// Each area's operations are typed against that area's services; the registry holds them side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any, any, any>;

export class OperationRegistry {
  private readonly operations = new Map<string, AnyOperation>();

  register(...operations: AnyOperation[]): this {
    for (const operation of operations) {
      const key = `${operation.service}:${operation.name}`;
      if (this.operations.has(key)) throw new Error(`operation registered twice: ${key}`);
      this.operations.set(key, operation);
    }
    return this;
  }

  find(service: string, name: string): AnyOperation | undefined {
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
