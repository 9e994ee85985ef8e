/**
 * The account-settings area for the composition root: the Account API (contacts), payment methods and
 * preferences, tax settings and bills, as operations, payments ones behind the card-number screen. A
 * console call of them answers to its page (CONSOLE_OPERATION_GATES, through invoke()'s account rule).
 *
 * ```ts
 * registry.register(...accountAreaOperations({ db, clock, ids, billing,
 *   organizationOf: (id) => organizations.directory.organizationOf(id) }));
 * ```
 */
import type { Kysely } from 'kysely';
import type { Billing } from '../billing/billing.js';
import { accountOperations } from '../operations/account/operations.js';
import { billsOperations } from '../operations/bills/operations.js';
import { paymentOperations, screenCardNumbers } from '../operations/payments/operations.js';
import type { AnyOperation } from '../operations/registry.js';
import type { OrgRef } from '../organizations/directory.js';
import { PaymentMethods } from '../payments/payment-methods.js';
import { TaxSettings } from '../payments/tax-settings.js';
import type { Clock } from '../platform/clock.js';
import type { IdSource } from '../platform/ids.js';
import type { Database } from '../store/schema.js';
import { AccountContacts } from './contacts.js';

export interface AccountAreaOptions {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdSource;
  billing: Billing;
  organizationOf: (accountId: string) => OrgRef | undefined;
}

export function accountAreaOperations(options: AccountAreaOptions): AnyOperation[] {
  const { db, clock } = options;
  const operations = [
    ...accountOperations({ contacts: new AccountContacts(db, clock), organizationOf: options.organizationOf }),
    ...paymentOperations({
      paymentMethods: new PaymentMethods(db, clock, options.ids),
      taxSettings: new TaxSettings(db, clock),
    }),
    ...billsOperations(options.billing),
  ];
  return operations.map(screenCardNumbers);
}
