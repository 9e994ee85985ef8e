/**
 * Each area owns its tables (src/store/table-owners.ts): no code outside the owning folder of `src/` names
 * another area's table in a query (`selectFrom('iam_users')`, a join's `'iam_users.user_id'`) or in SQL
 * text (`sql\`update iam_accounts …\``). Migrations and the table types are the store's history and schema,
 * not queries, so they are not scanned.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ownerOf, TABLE_OWNERS, TABLE_OWNERSHIP_EXCEPTIONS } from '../../src/store/table-owners.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Every table the schema declares: the members of each `…Tables` interface in src/store/tables/. */
function declaredTables(): string[] {
  const tables: string[] = [];
  for (const file of files(join(SRC, 'store', 'tables'))) {
    const text = readFileSync(file, 'utf8');
    for (const block of text.matchAll(/export interface \w+Tables\s*\{([^}]*)\}/g)) {
      for (const member of block[1]!.matchAll(/^\s*(\w+):/gm)) tables.push(member[1]!);
    }
  }
  return tables;
}

/** The tables a source text names in string literals (`'t'`, `'t.column'`) or in `sql` templates. */
export function tablesNamed(source: string, tables: readonly string[]): Set<string> {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const named = new Set<string>();
  for (const literal of code.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"/g)) {
    const text = literal[1] ?? literal[2]!;
    const table = text.split('.')[0]!.split(' ')[0]!;
    if (tables.includes(table)) named.add(table);
  }
  for (const template of code.matchAll(/sql`([^`]*)`/g)) {
    for (const table of tables) if (new RegExp(`\\b${table}\\b`).test(template[1]!)) named.add(table);
  }
  return named;
}

/** `src/<area>/…` → area. */
const areaOf = (file: string) => relative(SRC, file).split(/[\\/]/)[0]!;

describe('each area owns its tables', () => {
  const tables = declaredTables();

  it('every declared table has exactly one owning area', () => {
    assert.ok(tables.length > 50, `found only ${tables.length} tables`);
    assert.deepEqual(
      tables.filter((table) => ownerOf(table) === undefined),
      [],
    );
    for (const area of Object.keys(TABLE_OWNERS)) assert.ok(readdirSync(join(SRC, area)).length > 0, area);
  });

  it('no code outside the owning area names its tables', () => {
    const allowed = new Map(TABLE_OWNERSHIP_EXCEPTIONS.map((e) => [e.file, new Set(e.tables)]));
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const path = relative(ROOT, file).replaceAll('\\', '/');
      if (!path.endsWith('.ts') || path.endsWith('.test.ts')) continue;
      if (path.startsWith('src/store/migrations/') || path.startsWith('src/store/tables/')) continue;
      if (path === 'src/store/test-databases.ts' || path === 'src/store/table-owners.ts') continue;
      for (const table of tablesNamed(readFileSync(file, 'utf8'), tables)) {
        if (ownerOf(table) === areaOf(file) || allowed.get(path)?.has(table) === true) continue;
        violations.push(`${path} names ${table} (owned by src/${ownerOf(table)})`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('every exception is still needed', () => {
    for (const { file, tables: excepted } of TABLE_OWNERSHIP_EXCEPTIONS) {
      const named = tablesNamed(readFileSync(join(ROOT, file), 'utf8'), tables);
      for (const table of excepted) assert.ok(named.has(table), `${file} no longer names ${table}`);
    }
  });

  it('the scan finds a query, a join column and SQL text, and skips comments', () => {
    const source = [
      "await db.selectFrom('iam_users').selectAll();",
      ".innerJoin('org_accounts', 'org_accounts.account_id', 'x.account_id')",
      'await sql`update billing_budget set tags = ${tags}`.execute(db);',
      "// selectFrom('audit_events') in a comment",
      'const label = `iam_mfa_devices:${serial}`;',
    ].join('\n');
    assert.deepEqual([...tablesNamed(source, tables)].sort(), ['billing_budget', 'iam_users', 'org_accounts']);
  });
});
