/**
 * The Billing console area for the composition root: its services (settings store, and the page gate whose
 * `rule` invoke() runs for every call) and its operations.
 */
import type { Kysely } from 'kysely';
import { catalog } from '../catalog/index.js';
import { createEvaluator, type Authority } from '../operations/invoke.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../store/schema.js';
import { BillingConsoleGate } from './gate.js';
import type { BillingConsoleServices } from './operations.js';
import type { ConsoleActionSet } from './pages.js';
import { BillingConsoleSettingsStore } from './settings.js';

export { billingConsoleOperations, type BillingConsoleServices } from './operations.js';
export type { ConsoleActionSet } from './pages.js';

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
    evaluate: createEvaluator(options.authority, options.region),
    expandAction: (pattern) => catalog().expandAction(pattern),
  });
  return { billingConsoleSettings: settings, billingConsoleGate: gate };
}
