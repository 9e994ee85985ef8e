/** Dates as the AWS console shows them: local, readable, with the time. */
export function formatDate(iso: string | undefined): string {
  if (iso === undefined) return '-';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
}

/**
 * The account's own console sign-in URL for IAM users, as AWS gives one per account
 * (`https://<alias or id>.signin.aws.amazon.com/console`): the sign-in page opens with the account filled in.
 */
export const signInUrlOf = (accountIdOrAlias: string): string =>
  `${window.location.origin}/console/#/signin?account=${encodeURIComponent(accountIdOrAlias)}`;

/** A billing period or a month's first day (`2026-11`, `2026-11-01`) as the console names it: "November 2026". */
export function formatMonth(period: string): string {
  return new Date(`${period.slice(0, 7)}-01T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * Money from AWS's decimal strings, never through a float sum: formatted for display only, in its own
 * currency ($12,096.01, €80.00); a unit that is no ISO currency (e.g. a usage unit) is printed after the number.
 */
export function formatMoney(amount: string | undefined, unit = 'USD'): string {
  if (amount === undefined) return '-';
  const value = Number(amount);
  if (/^[A-Z]{3}$/.test(unit)) {
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency: unit }).format(value);
    } catch {
      // Not a currency Intl knows: printed as a number with its unit below.
    }
  }
  const number = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  return `${number} ${unit}`;
}

/**
 * An amount to the cent as a plain number for a CSV file ("11442.18"): rounded as formatMoney rounds, so a
 * downloaded figure matches the one on the page.
 */
export const centsOf = (amount: string | undefined): string =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false }).format(
    Number(amount ?? '0'),
  );

/** The decimal places of Cost Explorer's amounts: sums of them at this scale are exact. */
const AMOUNT_DECIMALS = 10;
const AMOUNT_SCALE = 10n ** BigInt(AMOUNT_DECIMALS);

/** Exact sum of Cost Explorer's plain decimal amounts ("12096.0083540212"), as a plain decimal string. */
export function sumAmounts(amounts: readonly string[]): string {
  let total = 0n;
  for (const amount of amounts) {
    const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(amount.trim());
    if (match === null) throw new Error(`Not a plain decimal amount: ${amount}`);
    const [, sign, whole = '', fraction = ''] = match;
    const units =
      BigInt(whole || '0') * AMOUNT_SCALE + BigInt(fraction.slice(0, AMOUNT_DECIMALS).padEnd(AMOUNT_DECIMALS, '0'));
    total += sign === '-' ? -units : units;
  }
  const magnitude = total < 0n ? -total : total;
  const fraction = (magnitude % AMOUNT_SCALE).toString().padStart(AMOUNT_DECIMALS, '0');
  return `${total < 0n ? '-' : ''}${magnitude / AMOUNT_SCALE}.${fraction}`;
}

const DAY_MS = 86_400_000;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const utcDay = (day: string) => Date.parse(`${day.slice(0, 10)}T00:00:00Z`);

/**
 * AWS's APIs end a period on an exclusive day (End is the day after the last one); the console shows and
 * takes the last day itself, as AWS's console does. These two convert between them.
 */
export const lastDayOf = (exclusiveEnd: string): string => dayOf(new Date(utcDay(exclusiveEnd) - DAY_MS));
export const exclusiveEndOf = (lastDay: string): string => dayOf(new Date(utcDay(lastDay) + DAY_MS));

/** An API period (exclusive End) as the console shows it: first and last day, both included. */
export const formatPeriod = (start: string, exclusiveEnd: string, separator = ' — '): string =>
  `${start.slice(0, 10)}${separator}${lastDayOf(exclusiveEnd)}`;

export const policyType = (arn: string) => (arn.startsWith('arn:aws:iam::aws:') ? 'AWS managed' : 'Customer managed');

/** How long ago a date was, in whole days as AWS's IAM lists count them: "Today", "1 day", "45 days". */
export function formatAge(iso: string | undefined, now = new Date()): string {
  if (iso === undefined) return '-';
  const days = Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS);
  if (Number.isNaN(days)) return '-';
  return days <= 0 ? 'Today' : days === 1 ? '1 day' : `${days} days`;
}
