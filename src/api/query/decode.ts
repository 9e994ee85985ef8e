/**
 * Query-protocol input decoding: flat form parameters (`Tags.member.1.Key=…`, `Attributes.entry.1.key=…`)
 * to the plain object the operation's input shape describes, following the serialization the AWS SDKs
 * and CLI use for the `query` protocol.
 *
 * The parameters are first arranged as a tree of their dot-separated names, once (linear in their total
 * length); decoding then walks the model and the tree together, so each parameter is visited once however
 * many list members or structures the request holds.
 */
import { ServiceError } from '../../core/errors.js';
import { ownEntry, shapeOf, type ServiceModel, type Shape, type ShapeRef } from '../../models/model.js';
import { REQUEST_LIMITS } from '../../models/limits.js';

export type FormParams = Map<string, string>;

/**
 * Parses an `application/x-www-form-urlencoded` string (also a URL query string) into a map, refusing more
 * than `REQUEST_LIMITS.queryParameters` parameters in all before decoding any of them.
 */
export function parseForm(text: string, into: FormParams = new Map()): FormParams {
  if (text === '') return into;
  let pairs = 1;
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) pairs += 1;
  if (into.size + pairs > REQUEST_LIMITS.queryParameters) {
    throw new ServiceError(
      'MalformedQueryString',
      `The request has more than ${REQUEST_LIMITS.queryParameters} parameters.`,
    );
  }
  for (const [key, value] of new URLSearchParams(text)) into.set(key, value);
  return into;
}

/** A parameter name's segment: its value when the name ends here, and the segments that continue it. */
interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

function paramTree(params: FormParams): ParamNode {
  const root: ParamNode = {};
  for (const [key, value] of params) {
    let node = root;
    for (const segment of key.split('.')) {
      node.children ??= new Map();
      let next = node.children.get(segment);
      if (next === undefined) {
        next = {};
        node.children.set(segment, next);
      }
      node = next;
    }
    node.value = value;
  }
  return root;
}

const child = (node: ParamNode | undefined, segment: string): ParamNode | undefined => node?.children?.get(segment);

const malformed = (key: string, value: string, type: string) =>
  new ServiceError(
    'MalformedQueryString',
    `Value (${value.length > 256 ? `${value.slice(0, 256)}...` : value}) for parameter ${key} is invalid. Expected: '${type}'.`,
  );

function decodeValue(model: ServiceModel, ref: ShapeRef, node: ParamNode | undefined, key: string): unknown {
  if (node === undefined) return undefined;
  const shape = shapeOf(model, ref);
  switch (shape.type) {
    case 'structure':
      return node.children === undefined ? undefined : decodeStructure(model, shape, node, `${key}.`);
    case 'list':
      return decodeList(model, shape, node, key, ref.flattened ?? shape.flattened ?? false);
    case 'map':
      return decodeMap(model, shape, node, key, ref.flattened ?? shape.flattened ?? false);
    default:
      return decodeScalar(shape, node.value, key);
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

function decodeList(model: ServiceModel, shape: Shape, node: ParamNode, key: string, flattened: boolean): unknown {
  // An empty list travels as the bare key with an empty value.
  if (node.value === '' && node.children === undefined) return [];
  const memberName = shape.member?.locationName ?? 'member';
  const members = flattened ? node : child(node, memberName);
  const prefix = flattened ? key : `${key}.${memberName}`;
  const items: unknown[] = [];
  for (let index = 1; ; index++) {
    const item = child(members, String(index));
    if (item === undefined) break;
    items.push(decodeValue(model, shape.member!, item, `${prefix}.${index}`));
  }
  return items.length === 0 ? undefined : items;
}

function decodeMap(model: ServiceModel, shape: Shape, node: ParamNode, key: string, flattened: boolean): unknown {
  const entries = flattened ? node : child(node, 'entry');
  const prefix = flattened ? key : `${key}.entry`;
  const keyName = shape.key?.locationName ?? 'key';
  const valueName = shape.value?.locationName ?? 'value';
  const result: Record<string, unknown> = {};
  let found = false;
  for (let index = 1; ; index++) {
    const entry = child(entries, String(index));
    const entryKey = child(entry, keyName)?.value;
    if (entryKey === undefined) break;
    found = true;
    const value = decodeValue(model, shape.value!, child(entry, valueName), `${prefix}.${index}.${valueName}`);
    // A key such as `__proto__` is data, never the object's prototype.
    Object.defineProperty(result, entryKey, { value, enumerable: true, writable: true, configurable: true });
  }
  return found ? result : undefined;
}

function decodeStructure(model: ServiceModel, shape: Shape, node: ParamNode, prefix: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    const wireName = member.locationName ?? name;
    const value = decodeValue(model, member, child(node, wireName), prefix + wireName);
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
  const input = ownEntry(model.operations, operationName)?.input;
  if (input === undefined) return {};
  return decodeStructure(model, shapeOf(model, input), paramTree(params), '');
}
