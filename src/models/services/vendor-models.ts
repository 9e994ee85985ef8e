/**
 * Refreshes the vendored AWS service models from the botocore data shipped with the AWS CLI, and (entries
 * marked `source: 'botocore'`) from the botocore Python package, whose gzipped data has the billing services
 * the CLI's lacks: `npx tsx src/models/services/vendor-models.ts [cli-data-dir] [botocore-data-dir]`.
 * Documentation strings are dropped (the codecs need only shapes, operations and error metadata); the rest
 * is AWS's data unchanged, except the amendments below.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
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

/**
 * Enum values the pinned SDK clients send that the Debian AWS CLI's (older) botocore models lack; without them
 * model validation would refuse, e.g., the SDK's `EnablePolicyType` for resource control policies.
 */
const ENUM_ADDITIONS: Record<string, Record<string, string[]>> = {
  organizations: {
    PolicyType: ['RESOURCE_CONTROL_POLICY'],
  },
  // Budgets with a custom period (a TimePeriod start and end), which AWS added after the Debian botocore.
  budgets: {
    TimeUnit: ['CUSTOM'],
  },
};

/**
 * Errors AWS documents as common to every service ("Common Errors") that a model omits: without the shape,
 * a refusal would reach the SDK as a bare `AccessDenied` rather than the service's `AccessDeniedException`.
 */
const COMMON_ERROR_ADDITIONS: Record<string, { shape: string; messageShape: string }[]> = {
  cur: [{ shape: 'AccessDeniedException', messageShape: 'ErrorMessage' }],
};

type Shapes = Record<string, { enum?: string[]; [member: string]: unknown }>;

function amend(service: string, model: { shapes: Shapes }): void {
  for (const { shape, messageShape } of COMMON_ERROR_ADDITIONS[service] ?? []) {
    if (model.shapes[messageShape] === undefined) throw new Error(`${service}: no shape \`${messageShape}\``);
    model.shapes[shape] ??= {
      type: 'structure',
      members: { Message: { shape: messageShape } },
      exception: true,
    } as never;
  }
  for (const [shape, values] of Object.entries(ENUM_ADDITIONS[service] ?? {})) {
    const target = model.shapes[shape];
    if (target?.enum === undefined) throw new Error(`${service}: no enum shape \`${shape}\` to amend`);
    for (const value of values) if (!target.enum.includes(value)) target.enum.push(value);
  }
}

const cliDataDir = process.argv[2] ?? '/usr/lib/python3/dist-packages/awscli/botocore/data';
const botocoreDataDir = () =>
  process.argv[3] ??
  join(
    execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], {
      encoding: 'utf8',
    }).trim(),
    'data',
  );

function readModel(dir: string, service: string, version: string): unknown {
  const file = join(dir, service, version, 'service-2.json');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : gunzipSync(readFileSync(`${file}.gz`)).toString('utf8');
  return JSON.parse(text);
}

for (const entry of VENDORED_MODELS) {
  const { service, version } = entry;
  const dir = 'source' in entry ? botocoreDataDir() : cliDataDir;
  const model = strip(readModel(dir, service, version));
  amend(service, model as { shapes: Shapes });
  const target = new URL(`./${service}.json`, import.meta.url);
  writeFileSync(target, JSON.stringify(model, null, 2) + '\n');
  process.stdout.write(`${service} ${version} → ${target.pathname}\n`);
}
