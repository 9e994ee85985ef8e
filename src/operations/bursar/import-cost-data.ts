/**
 * `bursar:ImportCostData` (JSON 1.1, target prefix `BursarService`): the import as an authorized operation,
 * for `bursar import --endpoint` and the console's upload. One call carries one file (base64; gzip it first
 * to fit the server's body limit) and is atomic like a local import. Its wire model is in src/models/services/bursar.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { validationException } from '../../core/errors.js';
import { tempDirPrefix } from '../../platform/temp-dirs.js';
import { uuid } from '../../platform/ids.js';
import type { Operation } from '../../core/operation.js';
import type { BillingServices } from '../../billing/billing.js';
import { importCostFiles } from '../../billing/costs/import/import-files.js';
import type { ImportReport } from '../../billing/costs/import/import-files.js';
import { ImportError } from '../../billing/costs/import/source-files.js';

interface ImportCostDataInput {
  AccountId?: string;
  FileName?: string;
  Content?: string;
}

/** Plain-text summary of an import, as the CLI prints it. */
export function describeImport(report: ImportReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    lines.push(
      `${file.path}: ${file.format} (${file.container}), ${file.read} rows read, ${file.imported} imported, ${file.skipped} skipped`,
    );
    for (const [reason, count] of Object.entries(file.reasons)) lines.push(`  skipped ${count}: ${reason}`);
  }
  for (const period of report.periods) {
    lines.push(
      `billing period ${period.billingPeriod}: ${period.lineItems} line items, unblended ${period.unblendedCost} USD${period.replaced ? ' (replaced the earlier import)' : ''}`,
    );
  }
  lines.push(`import ${report.importId}: ${report.lineItems} line items in ${report.periods.length} billing period(s)`);
  return `${lines.join('\n')}\n`;
}

const ACCOUNT_ID = /^\d{12}$/;

export const importCostData: Operation<BillingServices, ImportCostDataInput> = {
  service: 'bursar',
  name: 'ImportCostData',
  access: (input, { caller }) => [
    {
      action: 'bursar:ImportCostData',
      resource: '*',
      resourceAccount: input.AccountId,
      // Costs go into the caller's own account only (a malformed id is the handler's ValidationException).
      ...(ACCOUNT_ID.test(input.AccountId ?? '') && input.AccountId !== caller.accountId
        ? {
            refusedAfterPolicies: {
              message: `You cannot import cost data into account ${input.AccountId}.`,
              code: 'AccessDeniedException',
            },
          }
        : {}),
    },
  ],
  mutates: true,
  handler: async (input, ctx) => {
    const accountId = input.AccountId ?? '';
    if (!ACCOUNT_ID.test(accountId)) throw validationException('AccountId must be a 12-digit account id.');
    if (input.Content === undefined || input.Content === '') throw validationException('Content is required.');
    // The file as the user named it: what every message about it says (never the temporary path). Only its last
    // part, which must name a file: `..`, `.`, '' or a NUL byte cannot.
    const fileName = basename(input.FileName ?? 'upload.csv');
    if (fileName === '' || fileName === '.' || fileName === '..' || fileName.includes('\0')) {
      throw validationException('FileName must name a file, such as export.csv.gz.');
    }
    const dir = await mkdtemp(tempDirPrefix('import'));
    try {
      const file = join(dir, fileName);
      await writeFile(file, Buffer.from(input.Content, 'base64'));
      const report = await importCostFiles(ctx.services.billing.store, file, {
        ownerAccountId: accountId,
        importId: uuid(ctx.services.billing.ids),
        now: ctx.facts.now,
      });
      const shown = { ...report, files: report.files.map((f) => ({ ...f, path: basename(f.path) })) };
      return {
        ImportId: report.importId,
        LineItems: report.lineItems,
        Periods: report.periods.map((p) => ({
          BillingPeriod: p.billingPeriod,
          LineItems: p.lineItems,
          UnblendedCost: p.unblendedCost,
          Replaced: p.replaced,
        })),
        Report: describeImport(shown),
      };
    } catch (error) {
      if (error instanceof ImportError) throw validationException(`${fileName}: ${error.problem}`);
      // Anything else is the server's failure, answered as InternalFailure (its text stays in the server log).
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
