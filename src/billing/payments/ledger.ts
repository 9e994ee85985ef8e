/**
 * The Payments page's ledger: what an account owes (its issued bills with a positive total, from the bills
 * domain) and what it has paid. Bursar moves no money: "Complete payment" records that an issued bill was
 * settled with the account's default payment method (a display record from Payment preferences), for the
 * bill's total at that moment. An invoice is paid once; a second payment is refused (and a race between two
 * is settled by the table's unique index). Under consolidated billing the management account pays for the
 * whole organization, so a member account has nothing due and cannot pay.
 */
import type { Kysely } from 'kysely';
import type { Billing } from '../billing.js';
import { formatMoney, parseMoney } from '../money.js';
import { Bills, dueDateOf, parseInvoiceId, type BillSummary } from '../bills/bills.js';
import { validationException } from '../../core/errors.js';
import { conflict } from '../errors.js';
import { invoiceNotFound } from '../bills/errors.js';
import type { PaymentMethods } from './payment-methods.js';
import type { Database } from '../../store/schema.js';
import type { LedgerPaymentTable } from '../../store/tables/billing-ledger.js';
import { accountWrite } from '../../store/locks.js';
import type { Payment, PaymentDue, PaymentStatus } from '../../contracts/payments.js';

const alreadyPaid = (id: string, payment: Payment) =>
  conflict(
    `Invoice ${id} was already paid on ${payment.PaidAt.toISOString().slice(0, 10)} (payment ${payment.PaymentId}); it cannot be paid twice.`,
  );

const owed = (bill: BillSummary) => bill.status === 'ISSUED' && (parseMoney(bill.total) ?? 0n) > 0n;

function toPayment(row: LedgerPaymentTable): Payment {
  return {
    PaymentId: row.payment_id,
    InvoiceId: row.invoice_id,
    BillingPeriod: row.billing_period,
    Amount: row.amount,
    CurrencyCode: row.currency,
    PaymentMethod: row.payment_method,
    PaidAt: new Date(row.paid_at),
  };
}

export class PaymentsLedger {
  private readonly bills: Bills;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly billing: Billing,
    private readonly paymentMethods: PaymentMethods,
  ) {
    this.bills = new Bills(billing);
  }

  /** A member account of an organization: its charges are on the management account's consolidated bill. */
  private async isMember(accountId: string): Promise<boolean> {
    return (await this.billing.scopeOf(accountId)).slice !== undefined;
  }

  private async payments(accountId: string): Promise<Payment[]> {
    const rows = await this.db
      .selectFrom('billing_ledger_payment')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('paid_at', 'desc')
      .orderBy('payment_id', 'desc')
      .execute();
    return rows.map(toPayment);
  }

  /** Issued bills with something to pay, newest first, each paid or not; and every payment, newest first. */
  async status(accountId: string, now: Date): Promise<PaymentStatus> {
    const payments = await this.payments(accountId);
    const bills = (await this.isMember(accountId)) ? [] : await this.bills.list(accountId, now);
    const paid = new Map(payments.map((p) => [p.InvoiceId, p]));
    let due = 0n;
    const paymentsDue = bills.filter(owed).map((bill): PaymentDue => {
      const invoiceId = bill.invoiceId!;
      const payment = paid.get(invoiceId);
      if (payment === undefined) due += parseMoney(bill.total) ?? 0n;
      return {
        InvoiceId: invoiceId,
        BillingPeriod: bill.period,
        Amount: bill.total,
        CurrencyCode: 'USD',
        Status: payment === undefined ? 'UNPAID' : 'PAID',
        DueDate: dueDateOf(bill.period),
        ...(payment === undefined ? {} : { PaymentId: payment.PaymentId }),
      };
    });
    return {
      PaymentsDue: paymentsDue,
      TotalDue: { Amount: formatMoney(due), CurrencyCode: 'USD' },
      Transactions: payments,
    };
  }

  /** Records the payment of one issued bill with the account's default payment method. */
  async pay(accountId: string, invoiceId: string, paymentId: string, now: Date): Promise<Payment> {
    const parsed = parseInvoiceId(invoiceId);
    // An account pays its own invoices only; anyone else's invoice number is simply not found.
    if (parsed === undefined || parsed.accountId !== accountId) throw invoiceNotFound(invoiceId);
    if (await this.isMember(accountId)) {
      throw validationException(
        'This account is a member of an organization: its charges are paid by the management account, on the consolidated bill.',
      );
    }
    const bill = (await this.bills.list(accountId, now)).find((b) => b.invoiceId === invoiceId);
    if (bill === undefined) throw invoiceNotFound(invoiceId);
    if (!owed(bill)) throw validationException(`Invoice ${invoiceId} has no amount due.`);
    const earlier = (await this.payments(accountId)).find((p) => p.InvoiceId === invoiceId);
    if (earlier !== undefined) throw alreadyPaid(invoiceId, earlier);
    const method = (await this.paymentMethods.list(accountId)).find((m) => m.Default);
    if (method === undefined) {
      throw validationException('The account has no default payment method. Add one in Payment preferences, then pay.');
    }
    const row: LedgerPaymentTable = {
      account_id: accountId,
      payment_id: paymentId,
      invoice_id: invoiceId,
      billing_period: bill.period,
      amount: bill.total,
      currency: 'USD',
      payment_instrument_id: method.PaymentInstrumentId,
      payment_method: `${method.Brand} ending in ${method.LastFourDigits}`,
      paid_at: now.toISOString(),
    };
    try {
      await accountWrite(this.db, accountId, (trx) => trx.insertInto('billing_ledger_payment').values(row).execute());
    } catch (error) {
      // Two payments raced past the check above: the unique index let one through.
      const winner = (await this.payments(accountId)).find((p) => p.InvoiceId === invoiceId);
      if (winner !== undefined) throw alreadyPaid(invoiceId, winner);
      throw error;
    }
    return toPayment(row);
  }
}
