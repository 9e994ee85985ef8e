/**
 * The Billing console area for the composition root: its services (settings store and page gate over the
 * Edge's Authority), its operations, and the wrapper that gates console calls of billing data operations.
 */
import type { Kysely } from 'kysely';
import { catalog } from '../catalog/index.js';
import { requestContext, type Authority } from '../operations/invoke.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../store/schema.js';
import { BillingConsoleGate, type Authorize } from './gate.js';
import type { BillingConsoleServices } from './operations.js';
import type { ConsoleActionSet } from './pages.js';
import { BillingConsoleSettingsStore } from './settings.js';

export { billingConsoleOperations, type BillingConsoleServices } from './operations.js';
export { withConsoleGates } from './console-gated.js';
export type { ConsoleActionSet } from './pages.js';

/** The gate's questions put to the same Authority (principal resolution + engine) invoke() uses. */
export function authorizeWith(authority: Authority, defaultRegion: string): Authorize {
  return async (caller, facts, request) => {
    const tags = authority.principalTags === undefined ? {} : await authority.principalTags(caller);
    return authority.evaluate(caller, {
      principal: caller.arn,
      action: request.action,
      resource: request.resource,
      context: { ...requestContext(caller, facts, tags, defaultRegion), ...(request.context ?? {}) },
    });
  };
}

export interface BillingConsoleOptions {
  db: Kysely<Database>;
  clock: Clock;
  authority: Authority;
  region: string;
  /** The console action set of accounts that never chose one (default `existing`, as the seed tutorial needs). */
  defaultActionSet?: ConsoleActionSet;
}

export function billingConsoleServices(options: BillingConsoleOptions): BillingConsoleServices {
  const settings = new BillingConsoleSettingsStore(options.db, options.clock, options.defaultActionSet);
  const gate = new BillingConsoleGate({
    settings,
    authorize: authorizeWith(options.authority, options.region),
    expandAction: (pattern) => catalog().expandAction(pattern),
  });
  return { billingConsoleSettings: settings, billingConsoleGate: gate };
}
