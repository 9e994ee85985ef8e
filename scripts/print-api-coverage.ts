/**
 * `npm run api-coverage`: prints, per AWS service Bursar serves, the operations in its model, implemented and
 * missing; `npm run api-coverage -- --readme` also writes the table into README.md's "API coverage" section.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiCoverage, coverageTable } from './api-coverage.js';
import { registeredOperations } from './registered-operations.js';
import { serviceModels } from '../src/models/services/index.js';

const table = coverageTable(apiCoverage(serviceModels, await registeredOperations()));
process.stdout.write(`${table}\n`);
if (process.argv.includes('--readme')) {
  const readme = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
  const text = readFileSync(readme, 'utf8');
  // The section's table: from its header row to the totals row.
  const old = /\| service \| in AWS model \|[^]*?\| \*\*total\*\* \|[^\n]*/;
  if (!old.test(text)) throw new Error('README.md has no API coverage table to replace');
  writeFileSync(readme, text.replace(old, table));
}
