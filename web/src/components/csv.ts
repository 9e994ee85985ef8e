/** CSV files the console offers for download: its lists, Cost Explorer's breakdown, new users' credentials. */

/** RFC 4180: every field quoted, quotes doubled, lines ended by a newline. */
export function csvText(rows: readonly (readonly string[])[]): string {
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  return rows.map((row) => `${row.map(quote).join(',')}\n`).join('');
}

/** Saves the rows as a .csv file, as the browser saves any download. */
export function downloadCsv(fileName: string, rows: readonly (readonly string[])[]): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([csvText(rows)], { type: 'text/csv' }));
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(link.href);
}
