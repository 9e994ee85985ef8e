/**
 * The clock of every test server whose test does not fix the time itself: the system clock moved ahead by
 * `BURSAR_TEST_CLOCK_SHIFT_DAYS` days (default 0). `npm run test:dates` runs the date-sensitive suites with
 * it a year ahead, so a test that silently depends on today's date fails today rather than next year.
 *
 * Everything that must agree with that server compares against `testNow()`: dates a test computes (periods,
 * card expiry, TOTP codes, expiry checks), SigV4 signing times (the harness gives SDK clients a matching
 * `systemClockOffset`) and the browser's clock (the browser tests install it in each page's context).
 */
import type { Clock } from '../src/platform/clock.js';

const DAY_MS = 86_400_000;

function shiftDays(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  // Ahead only: the browser keeps its cookies by the real clock, so a session cookie that a server behind
  // the real clock issues would already have expired.
  if (!/^\d+$/.test(text)) {
    throw new Error(`BURSAR_TEST_CLOCK_SHIFT_DAYS must be a whole number of days ahead, not ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** How far the test servers' clock runs ahead of the system clock, in milliseconds. */
export const TEST_CLOCK_SHIFT_MS = shiftDays(process.env.BURSAR_TEST_CLOCK_SHIFT_DAYS) * DAY_MS;

export const testClock: Clock = { now: () => new Date(Date.now() + TEST_CLOCK_SHIFT_MS) };

/** The test servers' "now". */
export const testNow = (): Date => testClock.now();
