/**
 * Whether `day` (YYYY-MM-DD) names a real calendar day. `Date.parse` accepts 2024-02-30 and rolls it over to
 * March 1st, so a day is real only if it reads back the same.
 */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const parsed = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === day;
}
