/**
 * Report definitions on both stores: the five-report quota and duplicate names decided inside one
 * transaction, paging by name, modify and delete of what exists only, tags read-modify-written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceError } from '../../core/errors.js';
import { FixedClock } from '../../platform/clock.js';
import type { OpenedDatabase } from '../../store/database.js';
import { testDatabases } from '../../store/test-databases.js';
import type { ReportDefinition } from '../../contracts/wire/cur.js';
import { ReportDefinitions, checkReportDefinition } from './report-definitions.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const definition = (ReportName: string): ReportDefinition => ({
  ReportName,
  TimeUnit: 'DAILY',
  Format: 'textORcsv',
  Compression: 'GZIP',
  AdditionalSchemaElements: ['RESOURCES'],
  S3Bucket: 'reports',
  S3Prefix: 'cur',
  S3Region: 'us-east-1',
});
const code = (expected: string) => (error: unknown) => error instanceof ServiceError && error.code === expected;

for (const target of await testDatabases()) {
  describe(`report definitions on ${target.label}`, { skip: target.skip }, () => {
    let opened: OpenedDatabase;
    let reports: ReportDefinitions;
    before(async () => {
      opened = await target.open();
      reports = new ReportDefinitions(opened.db, new FixedClock(new Date('2026-11-20T10:00:00Z')));
    });
    after(async () => {
      await opened.close();
    });

    it('keeps five per account, refuses a duplicate, pages by name', async () => {
      for (const name of ['e', 'd', 'c', 'b', 'a']) await reports.put(ACCOUNT, definition(name), []);
      await assert.rejects(reports.put(ACCOUNT, definition('c'), []), code('DuplicateReportNameException'));
      await assert.rejects(reports.put(ACCOUNT, definition('f'), []), code('ReportLimitReachedException'));
      await reports.put(OTHER, definition('a'), []);
      assert.deepEqual(
        (await reports.list(ACCOUNT, 3)).map((d) => d.ReportName),
        ['a', 'b', 'c'],
      );
      assert.deepEqual(
        (await reports.list(ACCOUNT, 3, 'c')).map((d) => d.ReportName),
        ['d', 'e'],
      );
      assert.deepEqual(await reports.list(OTHER, 5), [definition('a')]);
    });

    it('modifies and deletes only what exists, and never renames', async () => {
      await reports.modify(ACCOUNT, 'a', { ...definition('a'), TimeUnit: 'HOURLY' });
      assert.equal((await reports.list(ACCOUNT, 1))[0]!.TimeUnit, 'HOURLY');
      await assert.rejects(reports.modify(ACCOUNT, 'a', definition('z')), code('ValidationException'));
      await assert.rejects(reports.modify(ACCOUNT, 'z', definition('z')), code('ValidationException'));
      await reports.delete(ACCOUNT, 'e');
      await assert.rejects(reports.delete(ACCOUNT, 'e'), code('ValidationException'));
    });

    it('tags: add, overwrite, remove; a missing report is ResourceNotFoundException', async () => {
      await reports.retag(ACCOUNT, 'b', [
        { Key: 'team', Value: 'finance' },
        { Key: 'env', Value: 'prod' },
      ]);
      await reports.retag(ACCOUNT, 'b', [{ Key: 'team', Value: 'fpa' }], ['env']);
      assert.deepEqual(await reports.tags(ACCOUNT, 'b'), [{ Key: 'team', Value: 'fpa' }]);
      await assert.rejects(reports.tags(ACCOUNT, 'zz'), code('ResourceNotFoundException'));
    });
  });
}

it("checks AWS's format, compression and artifact rules", () => {
  assert.throws(() => checkReportDefinition({ ...definition('p'), Format: 'Parquet' }), code('ValidationException'));
  assert.throws(
    () => checkReportDefinition({ ...definition('p'), AdditionalArtifacts: ['ATHENA'] }),
    code('ValidationException'),
  );
  const athena: ReportDefinition = {
    ...definition('p'),
    Format: 'Parquet',
    Compression: 'Parquet',
    AdditionalArtifacts: ['ATHENA'],
    ReportVersioning: 'OVERWRITE_REPORT',
  };
  assert.deepEqual(checkReportDefinition(athena), athena);
});
