import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { apiCoverage, coverageTable } from '../../scripts/api-coverage.js';
import { registeredOperations } from '../../scripts/registered-operations.js';
import { serviceModels } from '../../src/models/services/index.js';
import type { ServiceModel } from '../../src/models/model.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

test('npm run api-coverage counts, per AWS service, the registry’s operations against the model', async () => {
  const registered = await registeredOperations();
  const coverage = apiCoverage(serviceModels, registered);
  assert.deepEqual(coverage.map((entry) => entry.service).slice(0, 8), [
    'iam',
    'sts',
    'organizations',
    'budgets',
    'account',
    'cur',
    'bcm-data-exports',
    'ce',
  ]);
  assert.ok(!coverage.some((entry) => entry.service === 'bursar' || entry.service === 'billing'), 'Bursar’s own');
  for (const entry of coverage) {
    const model = Object.keys(serviceModels[entry.service]!.operations);
    assert.equal(entry.modelled.length, model.length, entry.service);
    assert.deepEqual(entry.implemented, registered(entry.service), `${entry.service}: every registered one counted`);
    assert.equal(entry.implemented.length + entry.missing.length, model.length, entry.service);
    assert.deepEqual([...entry.implemented, ...entry.missing].sort(), [...model].sort(), entry.service);
  }
  const total = coverage.reduce((sum, entry) => sum + entry.implemented.length, 0);
  assert.match(coverageTable(coverage), new RegExp(`\\| \\*\\*total\\*\\* \\| \\d+ \\| ${total} \\|`));
});

test('README.md shows the table npm run api-coverage prints', async () => {
  const table = coverageTable(apiCoverage(serviceModels, await registeredOperations()));
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.ok(readme.includes(`## API coverage`), 'README has the section');
  assert.ok(readme.includes(`${table}\n`), 'README’s API coverage table is stale: paste npm run -s api-coverage');
});

test('an operation registered but absent from the model is refused, and missing ones are named', () => {
  const model: ServiceModel = {
    metadata: { apiVersion: '2020-01-01', endpointPrefix: 'demo', protocol: 'json', serviceId: 'Demo' },
    operations: { B: { name: 'B' }, A: { name: 'A' } },
    shapes: {},
  };
  const [entry] = apiCoverage({ demo: model, bursar: model }, () => ['B']);
  assert.deepEqual(entry, { service: 'demo', modelled: ['A', 'B'], implemented: ['B'], missing: ['A'] });
  assert.match(
    coverageTable([entry!]),
    /\| demo \| 2 \| 1 \| 50 % \| A \|\n.*\n?\| \*\*total\*\* \| 2 \| 1 \| 50 % \| 1 \|/,
  );
  assert.throws(() => apiCoverage({ demo: model }, () => ['C']), /demo: registered but not in the model: C/);
});
