/**
 * Input constraints from IAM's API model, with AWS's validation message wording
 * (`1 validation error detected: Value 'x' at 'userName' failed to satisfy constraint: …`).
 */
import type { Tag } from '../contracts/wire/iam.js';
import { describeValue } from '../models/validate.js';
import { validationError } from '../core/errors.js';
import { invalidInput } from './errors.js';

const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(\/|\/[\u0021-\u007E]+\/)$/;
const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function fail(value: unknown, field: string, constraint: string): never {
  throw validationError(
    `1 validation error detected: Value '${describeValue(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw validationError(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** User, group, role, policy and inline-policy names: `[\w+=,.@-]+` up to `max` characters. */
export function checkName(value: unknown, field: string, max: number): string {
  const name = requireString(value, field);
  if (name.length > max) fail(name, field, `Member must have length less than or equal to ${max}`);
  if (!NAME_PATTERN.test(name)) fail(name, field, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return name;
}

export function checkPath(value: unknown, field = 'path'): string {
  if (value === undefined || value === null || value === '') return '/';
  if (typeof value !== 'string') fail(value, field, 'Member must be a string');
  if (value.length > 512) fail(value, field, 'Member must have length less than or equal to 512');
  if (!PATH_PATTERN.test(value)) {
    fail(value, field, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
  }
  return value;
}

export function checkPathPrefix(value: unknown): string {
  if (value === undefined || value === null || value === '') return '/';
  if (typeof value !== 'string' || !value.startsWith('/')) {
    fail(value, 'pathPrefix', 'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*');
  }
  return value;
}

export function checkDescription(value: unknown, field = 'description'): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(value, field, 'Member must be a string');
  if (value.length > 1000) fail(value, field, 'Member must have length less than or equal to 1000');
  return value;
}

/** Tags as IAM accepts them: at most 50, keys 1–128 and values 0–256 characters, no duplicate keys. */
export function checkTags(value: unknown): Tag[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidInput('Tags must be a list.');
  if (value.length > 50) fail(value, 'tags', 'Member must have length less than or equal to 50');
  const seen = new Set<string>();
  return value.map((raw: unknown, index) => {
    const tag = (raw ?? {}) as Record<string, unknown>;
    const key = requireString(tag.Key, `tags.${index + 1}.member.key`);
    const tagValue = typeof tag.Value === 'string' ? tag.Value : '';
    if (key.length > 128 || !TAG_KEY_PATTERN.test(key)) {
      fail(
        key,
        `tags.${index + 1}.member.key`,
        'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
      );
    }
    if (tagValue.length > 256 || !TAG_VALUE_PATTERN.test(tagValue)) {
      fail(
        tagValue,
        `tags.${index + 1}.member.value`,
        'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
      );
    }
    if (seen.has(key.toLowerCase()))
      throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key.toLowerCase());
    return { Key: key, Value: tagValue };
  });
}

/** Account aliases: 3–63 lowercase letters, digits and single hyphens, not starting or ending with a hyphen. */
export function checkAccountAlias(value: unknown): string {
  const alias = requireString(value, 'accountAlias');
  if (alias.length < 3 || alias.length > 63) fail(alias, 'accountAlias', 'Member must have length between 3 and 63');
  if (!/^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(alias)) {
    fail(
      alias,
      'accountAlias',
      'Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$',
    );
  }
  if (/^\d{12}$/.test(alias)) throw invalidInput('The account alias cannot be a 12-digit number.');
  return alias;
}
