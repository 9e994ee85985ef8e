/**
 * Which area owns which tables. Only code in the owning folder of `src/` queries a table; another area
 * asks the owner's functions (taking a transaction when it needs the change to be atomic with its own).
 * test/architecture/table-ownership.test.ts scans `src/` and fails on a query or SQL text that names
 * another area's table, and on a table that no area owns.
 */

/** Area (a folder of `src/`) → the names (or `prefix_*` families) of the tables it owns. */
export const TABLE_OWNERS: Readonly<Record<string, readonly string[]>> = {
  iam: ['iam_*', 'sts_sessions'],
  organizations: ['org_*'],
  audit: ['audit_events'],
  billing: ['billing_*', 'ce_*', 'cur_*', 'bcm_*', 'account_*', 'payment_*', 'tax_*'],
  console: ['console_*'],
  store: ['server_secret'],
};

/**
 * The places allowed to name another area's table, each with its reason. Everything else goes through the
 * owner's functions.
 */
export const TABLE_OWNERSHIP_EXCEPTIONS: readonly { file: string; tables: readonly string[]; why: string }[] = [
  {
    file: 'src/store/locks.ts',
    tables: ['iam_accounts'],
    why: "the per-account write lock every area takes is a row lock on the account's row",
  },
  {
    file: 'src/server/secrets-at-rest.ts',
    tables: ['iam_access_keys', 'sts_sessions', 'iam_mfa_devices', 'server_secret'],
    why: 'the composition root checks the key secrets are sealed with (a check value in server_secret) and seals every sealed column left plain, walking the columns by name',
  },
];

/** The area that owns `table`, or undefined when no area claims it. */
export function ownerOf(table: string): string | undefined {
  for (const [area, names] of Object.entries(TABLE_OWNERS)) {
    if (names.some((name) => (name.endsWith('*') ? table.startsWith(name.slice(0, -1)) : table === name))) return area;
  }
  return undefined;
}
