/**
 * Refreshes the vendored AWS service models from the botocore data shipped with the AWS CLI:
 * `npx tsx src/api/models/vendor-models.ts [botocore-data-dir]`. Documentation strings are dropped
 * (the codecs need only shapes, operations and error metadata); the rest is AWS's data unchanged.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VENDORED_MODELS } from './index.js';

const DROPPED = new Set(['documentation', 'documentationUrl', 'examples', 'deprecatedMessage']);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !DROPPED.has(key))
        .map(([key, inner]) => [key, strip(inner)]),
    );
  }
  return value;
}

const dataDir = process.argv[2] ?? '/usr/lib/python3/dist-packages/awscli/botocore/data';
for (const { service, version } of VENDORED_MODELS) {
  const model = JSON.parse(readFileSync(join(dataDir, service, version, 'service-2.json'), 'utf8')) as unknown;
  const target = new URL(`./${service}.json`, import.meta.url);
  writeFileSync(target, JSON.stringify(strip(model), null, 2) + '\n');
  process.stdout.write(`${service} ${version} → ${target.pathname}\n`);
}
