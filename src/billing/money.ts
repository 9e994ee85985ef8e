/**
 * Money as integer counts of 10⁻¹⁰ USD ("money units"): the ten decimal places AWS's CUR files and Cost
 * Explorer print. Conversions are exact string ↔ bigint arithmetic; a JavaScript float never holds money.
 */
export const MONEY_DECIMALS = 10;

const INTEGER = /^-?\d+$/;
const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal (plain or E-notation, as CUR writes `4.0E-7`) into money units, rounding half to even
 * beyond ten decimals. Returns undefined for text that is not a number.
 */
export function parseMoney(text: string): bigint | undefined {
  const match = DECIMAL.exec(text.trim());
  if (match === null) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  // digits × 10^(exponent − fraction.length) × 10^MONEY_DECIMALS
  const digits = BigInt((whole + fraction).replace(/^0+(?=\d)/, '') || '0');
  const shift = exponent - fraction.length + MONEY_DECIMALS;
  let units: bigint;
  if (shift >= 0) {
    units = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    units = digits / divisor;
    const remainder = (digits % divisor) * 2n;
    if (remainder > divisor || (remainder === divisor && units % 2n === 1n)) units += 1n;
  }
  return sign === '-' ? -units : units;
}

/**
 * Money units as AWS prints amounts: plain decimal text, trailing zeros dropped (`"39.4826997565"`, `"0"`).
 * Integer text (as DuckDB prints a HUGEINT sum) is cut and padded as text: measured, making a BigInt of each of a
 * 27,000-group answer's amounts and dividing it cost more than the rest of building that answer.
 */
export function formatMoney(units: bigint | string | number): string {
  const text = typeof units === 'string' && INTEGER.test(units) ? units : BigInt(units).toString();
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).replace(/^0+/, '');
  const whole = digits.length > MONEY_DECIMALS ? digits.slice(0, -MONEY_DECIMALS) : '0';
  const fraction = digits.slice(-MONEY_DECIMALS).padStart(MONEY_DECIMALS, '0').replace(/0+$/, '');
  const formatted = fraction === '' ? whole : `${whole}.${fraction}`;
  return negative && formatted !== '0' ? `-${formatted}` : formatted;
}

/** Whole dollars and cents (e.g. a budget limit of `"100.5"`) as money units; throws on bad input. */
export function moneyFromDecimal(text: string): bigint {
  const units = parseMoney(text);
  if (units === undefined) throw new RangeError(`not a decimal amount: ${text}`);
  return units;
}

/** What a money column accepts on write: a number while it is exact, decimal text beyond that. */
export function moneyColumnValue(units: bigint | number): number | string {
  if (typeof units === 'number') return units;
  return units <= BigInt(Number.MAX_SAFE_INTEGER) && units >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(units)
    : units.toString();
}

/** A usage quantity (a double, not money) as decimal text with at most ten decimals. */
export function formatQuantity(value: number): string {
  if (!Number.isFinite(value) || value === 0) return '0';
  return value
    .toFixed(MONEY_DECIMALS)
    .replace(/\.?0+$/, '')
    .replace(/^-0$/, '0');
}
