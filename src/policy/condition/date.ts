/**
 * Date operators. Both sides may be ISO 8601 as W3C profiles it (`2026-01`, `2026-01-01`, `2026-01-01T12:00:00Z`,
 * with optional fraction and offset; no offset means UTC) or epoch seconds (`1767225600`); compared as instants.
 */
import { operator, type OperatorFamily } from './operator.js';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH = /^-?\d+(\.\d+)?$/;
/** W3C's "year and month" form of ISO 8601, which AWS accepts: the first instant of the month, UTC. */
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;

/** Milliseconds since the epoch, or undefined when the text is not a date AWS accepts. */
export function parseDate(value: string): number | undefined {
  const text = value.trim();
  if (EPOCH.test(text)) return Number(text) * 1000;
  const yearMonth = YEAR_MONTH.exec(text);
  if (yearMonth !== null) {
    const [year, number] = [Number(yearMonth[1]), Number(yearMonth[2])];
    return number < 1 || number > 12 ? undefined : Date.UTC(year, number - 1, 1);
  }
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => Number(v ?? 0)) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  let offset = 0;
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offset = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0)) * 60_000;
  }
  return Date.UTC(year!, month! - 1, day!, hour, minute, second) + fraction - offset;
}

function family(test: (c: number, p: number) => boolean): OperatorFamily<number, number> {
  return { variables: false, glob: false, preparePolicy: parseDate, prepareContext: parseDate, test };
}

const equals = family((c, p) => c === p);

export const DateEquals = operator('DateEquals', equals);
export const DateNotEquals = operator('DateNotEquals', equals, true);
export const DateLessThan = operator(
  'DateLessThan',
  family((c, p) => c < p),
);
export const DateLessThanEquals = operator(
  'DateLessThanEquals',
  family((c, p) => c <= p),
);
export const DateGreaterThan = operator(
  'DateGreaterThan',
  family((c, p) => c > p),
);
export const DateGreaterThanEquals = operator(
  'DateGreaterThanEquals',
  family((c, p) => c >= p),
);
