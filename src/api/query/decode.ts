/**
 * Query-protocol input decoding: flat form parameters (`Tags.member.1.Key=…`, `Attributes.entry.1.key=…`)
 * to the plain object the operation's input shape describes, following the serialization the AWS SDKs
 * and CLI use for the `query` protocol.
 */
import { ServiceError } from '../../core/errors.js';
import { shapeOf, type ServiceModel, type Shape, type ShapeRef } from '../../models/model.js';

export type FormParams = Map<string, string>;

/** Parses an `application/x-www-form-urlencoded` string (also a URL query string) into a map. */
export function parseForm(text: string, into: FormParams = new Map()): FormParams {
  if (text === '') return into;
  for (const [key, value] of new URLSearchParams(text)) into.set(key, value);
  return into;
}

const malformed = (key: string, value: string, type: string) =>
  new ServiceError(
    'MalformedQueryString',
    `Value (${value}) for parameter ${key} is invalid. Expected: '${type}'.`,
    400,
  );

function hasPrefix(params: FormParams, prefix: string): boolean {
  for (const key of params.keys()) if (key.startsWith(prefix)) return true;
  return false;
}

function decodeValue(model: ServiceModel, ref: ShapeRef, params: FormParams, key: string): unknown {
  const shape = shapeOf(model, ref);
  switch (shape.type) {
    case 'structure':
      return hasPrefix(params, key + '.') ? decodeStructure(model, shape, params, key + '.') : undefined;
    case 'list':
      return decodeList(model, shape, params, key, ref.flattened ?? shape.flattened ?? false);
    case 'map':
      return decodeMap(model, shape, params, key, ref.flattened ?? shape.flattened ?? false);
    default:
      return decodeScalar(shape, params.get(key), key);
  }
}

function decodeScalar(shape: Shape, raw: string | undefined, key: string): unknown {
  if (raw === undefined) return undefined;
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(raw.trim())) throw malformed(key, raw, 'integer');
      return Number(raw);
    }
    case 'float':
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw malformed(key, raw, 'double');
      return n;
    }
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw malformed(key, raw, 'boolean');
      return lower === 'true';
    }
    case 'timestamp': {
      const asNumber = Number(raw);
      const date = /^\d+(\.\d+)?$/.test(raw) ? new Date(asNumber * 1000) : new Date(raw);
      if (Number.isNaN(date.getTime())) throw malformed(key, raw, 'timestamp');
      return date;
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

function decodeList(model: ServiceModel, shape: Shape, params: FormParams, key: string, flattened: boolean): unknown {
  const memberName = flattened ? '' : `.${shape.member?.locationName ?? 'member'}`;
  // An empty list travels as the bare key with an empty value.
  if (params.get(key) === '' && !hasPrefix(params, key + '.')) return [];
  const items: unknown[] = [];
  for (let index = 1; ; index++) {
    const itemKey = `${key}${memberName}.${index}`;
    if (!params.has(itemKey) && !hasPrefix(params, itemKey + '.')) break;
    items.push(decodeValue(model, shape.member!, params, itemKey));
  }
  return items.length === 0 ? undefined : items;
}

function decodeMap(model: ServiceModel, shape: Shape, params: FormParams, key: string, flattened: boolean): unknown {
  const entry = flattened ? '' : '.entry';
  const keyName = shape.key?.locationName ?? 'key';
  const valueName = shape.value?.locationName ?? 'value';
  const result: Record<string, unknown> = {};
  let found = false;
  for (let index = 1; ; index++) {
    const base = `${key}${entry}.${index}`;
    const entryKey = params.get(`${base}.${keyName}`);
    if (entryKey === undefined) break;
    found = true;
    result[entryKey] = decodeValue(model, shape.value!, params, `${base}.${valueName}`);
  }
  return found ? result : undefined;
}

function decodeStructure(
  model: ServiceModel,
  shape: Shape,
  params: FormParams,
  prefix: string,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    const value = decodeValue(model, member, params, prefix + (member.locationName ?? name));
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/** Decodes an operation's input from form parameters; unknown parameters are ignored, as AWS does. */
export function decodeQueryInput(
  model: ServiceModel,
  operationName: string,
  params: FormParams,
): Record<string, unknown> {
  const input = model.operations[operationName]?.input;
  if (input === undefined) return {};
  return decodeStructure(model, shapeOf(model, input), params, '');
}
