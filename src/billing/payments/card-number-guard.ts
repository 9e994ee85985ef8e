/**
 * Bursar never holds a payment card number. Every payments input passes through here first: any string
 * that carries a run of 12 or more digits (spaces and dashes ignored, as people type card numbers) is
 * refused before it can reach a log, the audit trail's input copy, or the store.
 */
import { validationException } from '../../core/errors.js';

const DIGIT_RUN = /\d(?:[\s-]*\d){11,}/;

export const CARD_NUMBER_REFUSED =
  'Bursar does not accept or store payment card numbers. Send only the card brand, the last four digits and the expiry date.';

function looksLikeCardNumber(value: unknown): boolean {
  if (typeof value === 'string') return DIGIT_RUN.test(value);
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value).toString().length >= 12;
  if (Array.isArray(value)) return value.some(looksLikeCardNumber);
  if (value !== null && typeof value === 'object') return Object.values(value).some(looksLikeCardNumber);
  return false;
}

/** Throws ValidationException when any member of the input looks like a card number (PAN). */
export function refuseCardNumbers(input: Record<string, unknown>): void {
  if (looksLikeCardNumber(input)) throw validationException(CARD_NUMBER_REFUSED);
}
