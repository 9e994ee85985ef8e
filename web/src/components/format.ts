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

/** Money from AWS's decimal strings, never through a float sum: formatted for display only. */
export function formatMoney(amount: string | undefined, unit = 'USD'): string {
  if (amount === undefined) return '-';
  const value = Number(amount);
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: unit === 'USD' ? 'USD' : 'USD' }).format(
    value,
  );
}

export const policyType = (arn: string) => (arn.startsWith('arn:aws:iam::aws:') ? 'AWS managed' : 'Customer managed');
