/**
 * `bursar:ImportCostData` (JSON 1.1, target prefix `BursarService`): the import as an authorized operation,
 * for `bursar import --endpoint` and the console's upload. One call carries one file (`FileName`, `Content`)
 * or several (`Files`: the parts of one export, whose billing periods they share), base64 (gzip it first to fit
 * the server's body limit), and is atomic like a local import. Its wire model is in src/models/services/bursar.ts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  Files?: Array<{ FileName: string; Content: string }>;
}

/** The last part of a FileName, which must name a file: `..`, `.`, '' or a NUL byte cannot. */
function fileNameOf(given: string): string {
  const name = basename(given);
  if (name === '' || name === '.' || name === '..' || name.includes('\0')) {
    throw validationException('FileName must name a file, such as export.csv.gz.');
  }
  return name;
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
    if (input.Files !== undefined && input.Content !== undefined) {
      throw validationException('Give either Content (one file) or Files, not both.');
    }
    const given = input.Files ?? [{ FileName: input.FileName ?? 'upload.csv', Content: input.Content ?? '' }];
    if (given.some((file) => file.Content === '')) throw validationException('Content is required.');
    // The files as the user named them: what every message about them says (never the temporary path).
    const uploads = given.map((file) => ({ name: fileNameOf(file.FileName), content: file.Content }));
    const dir = await mkdtemp(tempDirPrefix('import'));
    try {
      // Each in a directory of its own, so that two parts of the same name cannot overwrite each other.
      const files: string[] = [];
      for (const [i, upload] of uploads.entries()) {
        await mkdir(join(dir, String(i)));
        const file = join(dir, String(i), upload.name);
        await writeFile(file, Buffer.from(upload.content, 'base64'));
        files.push(file);
      }
      const report = await importCostFiles(ctx.services.billing.store, files, {
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
      if (error instanceof ImportError) throw validationException(`${basename(error.file)}: ${error.problem}`);
      // Anything else is the server's failure, answered as InternalFailure (its text stays in the server log).
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
