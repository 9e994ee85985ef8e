/**
 * Reading an Organizations request's members: AWS's constraints from the API model, AWS's
 * InvalidInputException reasons. Input arrives from the wire as plain JSON values.
 */
import type { Tag } from '../contracts/wire/organizations.js';
import { invalidInput } from './errors.js';

export type Input = Record<string, unknown>;

interface StringRule {
  pattern?: RegExp;
  min?: number;
  max?: number;
}

function check(name: string, value: unknown, rule: StringRule): string {
  if (typeof value !== 'string') throw invalidInput('INVALID_PATTERN', `(${name})`);
  if (rule.min !== undefined && value.length < rule.min) throw invalidInput('MIN_LENGTH_EXCEEDED', `(${name})`);
  if (rule.max !== undefined && value.length > rule.max) throw invalidInput('MAX_LENGTH_EXCEEDED', `(${name})`);
  if (rule.pattern && !rule.pattern.test(value)) throw invalidInput('INVALID_PATTERN', `(${name})`);
  return value;
}

export function requiredString(input: Input, name: string, rule: StringRule = {}): string {
  const value = input[name];
  if (value === undefined || value === null) throw invalidInput('INPUT_REQUIRED', `(${name})`);
  return check(name, value, rule);
}

export function optionalString(input: Input, name: string, rule: StringRule = {}): string | undefined {
  const value = input[name];
  return value === undefined || value === null ? undefined : check(name, value, rule);
}

export function requiredEnum<T extends string>(input: Input, name: string, values: readonly T[]): T {
  const value = input[name];
  if (value === undefined || value === null) throw invalidInput('INPUT_REQUIRED', `(${name})`);
  if (!values.includes(value as T)) throw invalidInput('INVALID_ENUM', `(${name})`);
  return value as T;
}

export function optionalEnum<T extends string>(input: Input, name: string, values: readonly T[]): T | undefined {
  return input[name] === undefined || input[name] === null ? undefined : requiredEnum(input, name, values);
}

export function optionalTags(input: Input): Tag[] {
  const value = input.Tags;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidInput('INVALID_LIST_MEMBER', '(Tags)');
  const tags = value.map((tag: unknown) => {
    const t = (tag ?? {}) as Input;
    return {
      Key: requiredString(t, 'Key', { min: 1, max: 128 }),
      Value: requiredString(t, 'Value', { min: 0, max: 256 }),
    };
  });
  if (new Set(tags.map((t) => t.Key)).size !== tags.length) throw invalidInput('DUPLICATE_TAG_KEY');
  return tags;
}

/** A page request: AWS's MaxResults (1–20) and an opaque NextToken. */
export interface PageRequest {
  offset: number;
  limit: number;
}

export function pageRequest(input: Input): PageRequest {
  const max = input.MaxResults;
  let limit = 20;
  if (max !== undefined && max !== null) {
    const n = Number(max);
    if (!Number.isInteger(n)) throw invalidInput('INVALID_ENUM', '(MaxResults)');
    if (n < 1) throw invalidInput('MIN_VALUE_EXCEEDED', '(MaxResults)');
    if (n > 20) throw invalidInput('MAX_VALUE_EXCEEDED', '(MaxResults)');
    limit = n;
  }
  const token = input.NextToken;
  let offset = 0;
  if (token !== undefined && token !== null) {
    const decoded = typeof token === 'string' ? /^o(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString()) : null;
    if (!decoded) throw invalidInput('INVALID_NEXT_TOKEN');
    offset = Number(decoded[1]);
  }
  return { offset, limit };
}

/** One page of `items` plus the NextToken member when more remain. */
export function page<T>(items: T[], request: PageRequest): { items: T[]; NextToken?: string } {
  const slice = items.slice(request.offset, request.offset + request.limit);
  const next = request.offset + request.limit;
  return next < items.length
    ? { items: slice, NextToken: Buffer.from(`o${next}`).toString('base64url') }
    : { items: slice };
}
