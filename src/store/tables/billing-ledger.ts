/**
 * Tables of the Billing console's cost allocation tags and payments ledger (migration 0011): the status
 * each account gave its cost allocation tag keys, and the payments recorded against its issued bills.
 */

/** A tag key's cost allocation status in one account; a key without a row is `Inactive`. */
export interface CostAllocationTagTable {
  account_id: string;
  tag_key: string;
  /** `Active` or `Inactive`, AWS's CostAllocationTagStatus. */
  status: string;
  updated_at: string;
}

/**
 * One payment of one issued bill (invoice). Bursar moves no money: a payment is a record that the bill was
 * settled with the account's default payment method, named by its display record. One payment per invoice.
 */
export interface LedgerPaymentTable {
  account_id: string;
  payment_id: string;
  invoice_id: string;
  /** `YYYY-MM`. */
  billing_period: string;
  /** Decimal text, exact (the bill's total when it was paid). */
  amount: string;
  currency: string;
  payment_instrument_id: string;
  /** How the payment method read when it paid (`VISA ending in 4242`); the method may be removed later. */
  payment_method: string;
  paid_at: string;
}

export interface BillingLedgerTables {
  billing_cost_allocation_tag: CostAllocationTagTable;
  billing_ledger_payment: LedgerPaymentTable;
}
