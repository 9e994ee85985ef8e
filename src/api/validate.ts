/**
 * Input validation from the service model (required members, types, enums, lengths, ranges, patterns),
 * reported as AWS does: `1 validation error detected: Value 'x' at 'userName' failed to satisfy
 * constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`. Runs before anything changes.
 */
import { ServiceError } from '../operations/errors.js';
import { shapeOf, type ServiceModel, type Shape, type ShapeRef } from './model.js';

const patternCache = new Map<string, RegExp | null>();

function compiledPattern(pattern: string): RegExp | null {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    // The models' patterns are Java regular expressions matched against the whole value.
    try {
      compiled = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      try {
        compiled = new RegExp(`^(?:${pattern})$`);
      } catch {
        compiled = null;
      }
    }
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Characters of a value a message shows: AWS echoes the value, but a 10 MB value must not make a 10 MB error. */
const SHOWN_MAX = 1024;
/** Errors a message lists; the count still says how many there were. */
const LISTED_ERRORS_MAX = 10;

function clip(text: string): string {
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}...` : text;
}

/** A value as the message prints it, built only as far as it is shown (String() of a nested array recurses). */
function plainText(value: unknown, room: number): string {
  if (Array.isArray(value)) {
    let text = '';
    for (const item of value) {
      if (text.length > room) break;
      text += (text === '' ? '' : ',') + plainText(item, room - text.length);
    }
    return text;
  }
  // An object's own `toString` member is data from the request, never called.
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return '[object Object]';
  return String(value);
}

function shown(value: unknown, shape: Shape): string {
  if (value === undefined || value === null) return 'null';
  if (shape.sensitive) return '[sensitive]';
  const text = clip(plainText(value, SHOWN_MAX));
  if (shape.type === 'list' || shape.type === 'map' || shape.type === 'structure') return `[${text}]`;
  return `'${text}'`;
}

interface MemberCheck {
  name: string;
  ref: ShapeRef;
  /** How the member is named in messages (`userName`). */
  label: string;
}

// Shapes are immutable model data: list each structure's members once, not on every request.
const memberChecks = new WeakMap<Shape, MemberCheck[]>();

function membersOf(shape: Shape): MemberCheck[] {
  let members = memberChecks.get(shape);
  if (members === undefined) {
    members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, ref, label: lowerFirst(name) }));
    memberChecks.set(shape, members);
  }
  return members;
}

// Lengths count code points; only a string with a surrogate pair has fewer of them than UTF-16 units.
const SURROGATE = /[\uD800-\uDFFF]/;

function fail(errors: string[], value: unknown, shape: Shape, path: string, constraint: string): void {
  errors.push(`Value ${shown(value, shape)} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
}

function check(model: ServiceModel, ref: ShapeRef, value: unknown, path: string, errors: string[]): void {
  const shape = shapeOf(model, ref);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fail(errors, value, shape, path, 'be a structure');
      }
      const object = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (object[name] === undefined || object[name] === null) {
          errors.push(`Value null at '${join(path, name)}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const member of membersOf(shape)) {
        const inner = object[member.name];
        if (inner !== undefined && inner !== null) {
          check(model, member.ref, inner, path === '' ? member.label : `${path}.${member.label}`, errors);
        }
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) return fail(errors, value, shape, path, 'be a list');
      if (shape.min !== undefined && value.length < shape.min)
        fail(errors, value, shape, path, `have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max)
        fail(errors, value, shape, path, `have length less than or equal to ${shape.max}`);
      value.forEach((item, index) => check(model, shape.member!, item, `${path}.${index + 1}.member`, errors));
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null) return fail(errors, value, shape, path, 'be a map');
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min)
        fail(errors, value, shape, path, `have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && entries.length > shape.max)
        fail(errors, value, shape, path, `have length less than or equal to ${shape.max}`);
      for (const [k, v] of entries) {
        check(model, shape.key!, k, `${path}.${clip(k)}.key`, errors);
        check(model, shape.value!, v, `${path}.${clip(k)}.value`, errors);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') return fail(errors, value, shape, path, 'be a string');
      // AWS reports one constraint per value: the first it finds broken.
      const length = SURROGATE.test(value) ? [...value].length : value.length;
      if (shape.min !== undefined && length < shape.min)
        return fail(errors, value, shape, path, `have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && length > shape.max)
        return fail(errors, value, shape, path, `have length less than or equal to ${shape.max}`);
      if (shape.enum !== undefined && !shape.enum.includes(value)) {
        return fail(errors, value, shape, path, `satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      if (shape.pattern !== undefined) {
        const pattern = compiledPattern(shape.pattern);
        if (pattern !== null && !pattern.test(value))
          fail(errors, value, shape, path, `satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      if (typeof value !== 'number' || Number.isNaN(value)) return fail(errors, value, shape, path, 'be a number');
      if ((shape.type === 'integer' || shape.type === 'long') && !Number.isInteger(value))
        fail(errors, value, shape, path, 'be an integer');
      if (shape.min !== undefined && value < shape.min)
        return fail(errors, value, shape, path, `have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max)
        fail(errors, value, shape, path, `have value less than or equal to ${shape.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail(errors, value, shape, path, 'be a boolean');
      return;
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) fail(errors, value, shape, path, 'be a timestamp');
      return;
    default:
      return;
  }
}

function join(path: string, name: string): string {
  return path === '' ? lowerFirst(name) : `${path}.${lowerFirst(name)}`;
}

/** Throws `ValidationError` (AWS's wording) when the input breaks its shape's constraints. */
export function validateInput(model: ServiceModel, operationName: string, input: Record<string, unknown>): void {
  const ref = model.operations[operationName]?.input;
  if (ref === undefined) return;
  const errors: string[] = [];
  check(model, ref, input, '', errors);
  if (errors.length === 0) return;
  const count = errors.length === 1 ? '1 validation error detected' : `${errors.length} validation errors detected`;
  throw new ServiceError('ValidationError', `${count}: ${errors.slice(0, LISTED_ERRORS_MAX).join('; ')}`, 400);
}
