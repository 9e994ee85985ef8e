/**
 * Payment methods as display records (brand, last four digits, expiry, cardholder name, default flag) and
 * the account's payment preferences (currency, invoice email). No card processing: nothing here could
 * charge a card, by design.
 */
import type { Kysely } from 'kysely';
import { resourceNotFound, validationException } from '../../core/errors.js';
import { conflict } from '../errors.js';
import type { Clock } from '../../platform/clock.js';
import { randomString, type IdSource } from '../../platform/ids.js';
import type { Database } from '../../store/schema.js';
import type { PaymentInstrumentTable } from '../../store/tables/account.js';
import {
  CARD_BRANDS,
  PAYMENT_CURRENCIES,
  type CardBrand,
  type PaymentInstrument,
  type PaymentPreferences,
} from '../../contracts/payments.js';
import { accountWrite } from '../../store/locks.js';

export interface NewPaymentInstrument {
  brand: CardBrand;
  lastFour: string;
  expiryMonth: number;
  expiryYear: number;
  holderName: string;
  makeDefault: boolean;
}

const notFound = (id: string) => resourceNotFound(`Payment instrument ${id} was not found.`);

function toWire(row: PaymentInstrumentTable): PaymentInstrument {
  return {
    PaymentInstrumentId: row.instrument_id,
    Brand: row.brand as CardBrand,
    LastFourDigits: row.last_four,
    ExpiryMonth: Number(row.expiry_month),
    ExpiryYear: Number(row.expiry_year),
    CardholderName: row.holder_name,
    Default: Number(row.is_default) === 1,
  };
}

/** Checks a new payment method's display fields; `now` decides whether the card has expired. */
export function checkNewInstrument(input: Record<string, unknown>, now: Date): NewPaymentInstrument {
  const brand = typeof input.Brand === 'string' ? input.Brand.toUpperCase() : '';
  if (!(CARD_BRANDS as readonly string[]).includes(brand)) {
    throw validationException(`Brand must be one of ${CARD_BRANDS.join(', ')}.`);
  }
  const lastFour = input.LastFourDigits;
  if (typeof lastFour !== 'string' || !/^\d{4}$/.test(lastFour)) {
    throw validationException('LastFourDigits must be exactly the last four digits of the card.');
  }
  const month = Number(input.ExpiryMonth);
  const year = Number(input.ExpiryYear);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw validationException('ExpiryMonth must be 1 to 12.');
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw validationException('ExpiryYear must be a four-digit year.');
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (year * 12 + (month - 1) < thisMonth) throw validationException('The card has expired.');
  const holderName = typeof input.CardholderName === 'string' ? input.CardholderName.trim() : '';
  if (holderName === '' || holderName.length > 128)
    throw validationException('CardholderName must be 1 to 128 characters.');
  if (input.Default !== undefined && typeof input.Default !== 'boolean')
    throw validationException('Default must be a boolean.');
  return {
    brand: brand as CardBrand,
    lastFour,
    expiryMonth: month,
    expiryYear: year,
    holderName,
    makeDefault: input.Default === true,
  };
}

export class PaymentMethods {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** The account's payment methods (`db`: the transaction of a write that checks them). */
  async list(accountId: string, db: Kysely<Database> = this.db): Promise<PaymentInstrument[]> {
    const rows = await db
      .selectFrom('payment_instrument')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('instrument_id')
      .execute();
    return rows.map(toWire);
  }

  async get(accountId: string, id: string, db: Kysely<Database> = this.db): Promise<PaymentInstrument> {
    const row = await db
      .selectFrom('payment_instrument')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('instrument_id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw notFound(id);
    return toWire(row);
  }

  /** Adds a display record; the first payment method of an account becomes its default. */
  async add(accountId: string, card: NewPaymentInstrument): Promise<PaymentInstrument> {
    const id = `pi-${randomString(this.ids, 20)}`;
    await accountWrite(this.db, accountId, async (trx) => {
      const existing = await trx
        .selectFrom('payment_instrument')
        .select('instrument_id')
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      const isDefault = card.makeDefault || existing === undefined;
      if (isDefault) {
        await trx
          .updateTable('payment_instrument')
          .set({ is_default: 0 })
          .where('account_id', '=', accountId)
          .execute();
      }
      await trx
        .insertInto('payment_instrument')
        .values({
          account_id: accountId,
          instrument_id: id,
          brand: card.brand,
          last_four: card.lastFour,
          expiry_month: card.expiryMonth,
          expiry_year: card.expiryYear,
          holder_name: card.holderName,
          is_default: isDefault ? 1 : 0,
          created_at: this.clock.now().toISOString(),
        })
        .execute();
    });
    return this.get(accountId, id);
  }

  async setDefault(accountId: string, id: string): Promise<PaymentInstrument> {
    await accountWrite(this.db, accountId, async (trx) => {
      await this.get(accountId, id, trx);
      await trx.updateTable('payment_instrument').set({ is_default: 0 }).where('account_id', '=', accountId).execute();
      await trx
        .updateTable('payment_instrument')
        .set({ is_default: 1 })
        .where('account_id', '=', accountId)
        .where('instrument_id', '=', id)
        .execute();
    });
    return this.get(accountId, id);
  }

  /** Removes a payment method. The default may go only when it is the last one (AWS keeps one default). */
  async remove(accountId: string, id: string): Promise<void> {
    await accountWrite(this.db, accountId, async (trx) => {
      const instrument = await this.get(accountId, id, trx);
      const all = await this.list(accountId, trx);
      if (instrument.Default && all.length > 1) {
        throw conflict('The default payment method cannot be removed. Make another payment method the default first.');
      }
      await trx
        .deleteFrom('payment_instrument')
        .where('account_id', '=', accountId)
        .where('instrument_id', '=', id)
        .execute();
    });
  }

  async preferences(accountId: string, db: Kysely<Database> = this.db): Promise<PaymentPreferences> {
    const row = await db
      .selectFrom('payment_preferences')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return { Currency: row?.currency ?? 'USD', InvoiceEmail: row?.invoice_email ?? null };
  }

  async updatePreferences(accountId: string, change: Record<string, unknown>): Promise<PaymentPreferences> {
    return accountWrite(this.db, accountId, async (trx) => {
      const current = await this.preferences(accountId, trx);
      const currency = change.Currency ?? current.Currency;
      if (typeof currency !== 'string' || !(PAYMENT_CURRENCIES as readonly string[]).includes(currency)) {
        throw validationException(`Currency must be one of ${PAYMENT_CURRENCIES.join(', ')}.`);
      }
      const email = change.InvoiceEmail === undefined ? current.InvoiceEmail : change.InvoiceEmail;
      if (email !== null && (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) {
        throw validationException('InvoiceEmail must be an email address.');
      }
      const values = { currency, invoice_email: email, updated_at: this.clock.now().toISOString() };
      await trx
        .insertInto('payment_preferences')
        .values({ account_id: accountId, ...values })
        .onConflict((oc) => oc.column('account_id').doUpdateSet(values))
        .execute();
      return { Currency: currency, InvoiceEmail: email };
    });
  }
}
