/**
 * Input validation from the service model (required members, types, enums, lengths, ranges, patterns),
 * reported as AWS does: `1 validation error detected: Value 'x' at 'userName' failed to satisfy
 * constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`. Runs before anything changes.
 */
import { ServiceError, type InputViolation, type ViolatedConstraint } from '../core/errors.js';
import { shapeOf, type ServiceModel, type Shape, type ShapeRef } from './model.js';

const patternCache = new Map<string, RegExp | null>();

/** A group's opening as copied whole: `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`, or a plain `(`. */
const GROUP_OPENING = /^\((?:\?(?:[:=!]|<[=!]|<[A-Za-z]\w*>))?/;
/** One escape as copied whole: `\p{L}`, `\x41`, `\u00e9`, or a backslash and one character. */
const ESCAPE = /^\\(?:[pP]\{[^}]*\}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|[\s\S])/;
/** Escapes that stand for a set of characters: a `-` after one, inside brackets, is a literal hyphen in Java. */
const CLASS_ESCAPE = /^\\(?:[pP]\{|[wWdDsS]$)/;

/**
 * A model's pattern as a JavaScript RegExp matching the whole value. The patterns are Java's, and the models
 * use three forms JavaScript spells otherwise: an inline flag at the start (`(?s).*`) becomes the RegExp's
 * flag; a later one (BudgetName's `…|(?i).*<script>.*</script>.*)`) holds to the end of its group, where `i` spells
 * each letter in both cases (`[sS]`) and `s` makes `.` match line breaks, since Node 20's RegExp has no
 * `(?i:…)`; and a `-` after a class escape in brackets (`[\p{L}\p{N}\p{Z}-_]`) is Java's literal hyphen.
 * Null for a pattern it cannot carry over (a flag other than i and s, a bracket with letters under a later
 * `(?i)`), which validation then skips: a test asserts no shipped model has one.
 */
export function compiledPattern(pattern: string): RegExp | null {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    compiled = translated(pattern);
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function translated(pattern: string): RegExp | null {
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  const flags = leading?.[1] ?? '';
  if (!/^[is]*$/.test(flags)) return null;
  const body = pattern.slice(leading?.[0].length ?? 0);
  // The flags set inline within each open group, innermost last.
  const scopes = [''];
  let inBrackets = false;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const inline = scopes[scopes.length - 1]!;
    if (c === '\\') {
      const escape = ESCAPE.exec(body.slice(i))?.[0] ?? c;
      out += escape;
      i += escape.length - 1;
      if (inBrackets && CLASS_ESCAPE.test(escape) && body[i + 1] === '-' && body[i + 2] !== ']') {
        out += '\\-';
        i++;
      }
    } else if (inBrackets) {
      if (c === ']') inBrackets = false;
      else if (inline.includes('i') && /[a-zA-Z]/.test(c)) return null;
      out += c;
    } else if (c === '[') {
      inBrackets = true;
      out += c;
    } else if (c === '(') {
      const flagGroup = /^\(\?([a-zA-Z]+)\)/.exec(body.slice(i));
      if (flagGroup !== null) {
        if (!/^[is]+$/.test(flagGroup[1]!)) return null;
        scopes[scopes.length - 1] = inline + flagGroup[1];
        i += flagGroup[0].length - 1;
      } else {
        const opening = GROUP_OPENING.exec(body.slice(i))![0];
        scopes.push(inline);
        out += opening;
        i += opening.length - 1;
      }
    } else if (c === ')') {
      scopes.pop();
      out += c;
    } else if (c === '.' && inline.includes('s')) {
      out += '[\\s\\S]';
    } else if (inline.includes('i') && /[a-zA-Z]/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  // Unicode mode where the pattern allows it (`\p{L}` needs it); some models escape characters it refuses (`\:`).
  try {
    return new RegExp(`^(?:${out})$`, `u${flags}`);
  } catch {
    try {
      return new RegExp(`^(?:${out})$`, flags);
    } catch {
      return null;
    }
  }
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

/** Items shown one after another until `room` characters are used: a huge value costs only what is printed. */
function joinedWithin<T>(items: Iterable<T>, separator: string, room: number, show: (item: T, room: number) => string) {
  let text = '';
  for (const item of items) {
    if (text.length > room) break;
    text += (text === '' ? '' : separator) + show(item, room - text.length);
  }
  return text;
}

/**
 * A value as AWS's (Java) services print it in a validation message: a list as `[a, b]`, a structure as
 * `{Key: k,Value: v}` — never JavaScript's `[object Object]` — built only as far as `room` characters are
 * shown. An object's own `toString` member is data from the request, never called.
 */
export function describeValue(value: unknown, room = SHOWN_MAX): string {
  if (Array.isArray(value)) return `[${joinedWithin(value, ', ', room, describeValue)}]`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    const members = joinedWithin(Object.entries(value), ',', room, ([name, member], left) => {
      return `${name}: ${describeValue(member, left)}`;
    });
    return `{${members}}`;
  }
  return String(value);
}

function shown(value: unknown, shape: Shape): string {
  if (value === undefined || value === null) return 'null';
  if (shape.sensitive) return '[sensitive]';
  if (shape.type === 'map' && typeof value === 'object') {
    // A map prints as Java's Map does: {k=v, k2=v2}.
    const entries = joinedWithin(Object.entries(value), ', ', SHOWN_MAX, ([k, v], left) => {
      return `${k}=${describeValue(v, left)}`;
    });
    return `'{${clip(entries)}}'`;
  }
  return `'${clip(describeValue(value))}'`;
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

/** A model-validation failure: AWS's sentence, and each violation as data. */
export class ModelValidationError extends ServiceError {
  constructor(
    message: string,
    readonly violations: readonly InputViolation[],
  ) {
    super('ValidationError', message);
  }
}

interface Failures {
  messages: string[];
  violations: InputViolation[];
}

function fail(
  errors: Failures,
  value: unknown,
  shape: Shape,
  path: string,
  constraint: string,
  kind: ViolatedConstraint,
): void {
  errors.messages.push(
    `Value ${shown(value, shape)} at '${path}' failed to satisfy constraint: Member must ${constraint}`,
  );
  errors.violations.push({ constraint: kind, path });
}

function check(model: ServiceModel, ref: ShapeRef, value: unknown, path: string, errors: Failures): void {
  const shape = shapeOf(model, ref);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fail(errors, value, shape, path, 'be a structure', 'type');
      }
      const object = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (object[name] === undefined || object[name] === null) {
          errors.messages.push(
            `Value null at '${join(path, name)}' failed to satisfy constraint: Member must not be null`,
          );
          errors.violations.push({ constraint: 'required', path: join(path, name) });
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
      if (!Array.isArray(value)) return fail(errors, value, shape, path, 'be a list', 'type');
      if (shape.min !== undefined && value.length < shape.min)
        fail(errors, value, shape, path, `have length greater than or equal to ${shape.min}`, 'minLength');
      if (shape.max !== undefined && value.length > shape.max)
        fail(errors, value, shape, path, `have length less than or equal to ${shape.max}`, 'maxLength');
      value.forEach((item, index) => check(model, shape.member!, item, `${path}.${index + 1}.member`, errors));
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null) return fail(errors, value, shape, path, 'be a map', 'type');
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min)
        fail(errors, value, shape, path, `have length greater than or equal to ${shape.min}`, 'minLength');
      if (shape.max !== undefined && entries.length > shape.max)
        fail(errors, value, shape, path, `have length less than or equal to ${shape.max}`, 'maxLength');
      for (const [k, v] of entries) {
        check(model, shape.key!, k, `${path}.${clip(k)}.key`, errors);
        check(model, shape.value!, v, `${path}.${clip(k)}.value`, errors);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') return fail(errors, value, shape, path, 'be a string', 'type');
      // AWS reports one constraint per value: the first it finds broken.
      const length = SURROGATE.test(value) ? [...value].length : value.length;
      if (shape.min !== undefined && length < shape.min)
        return fail(errors, value, shape, path, `have length greater than or equal to ${shape.min}`, 'minLength');
      if (shape.max !== undefined && length > shape.max)
        return fail(errors, value, shape, path, `have length less than or equal to ${shape.max}`, 'maxLength');
      if (shape.enum !== undefined && !shape.enum.includes(value)) {
        return fail(errors, value, shape, path, `satisfy enum value set: [${shape.enum.join(', ')}]`, 'enum');
      }
      if (shape.pattern !== undefined) {
        const pattern = compiledPattern(shape.pattern);
        if (pattern !== null && !pattern.test(value))
          fail(errors, value, shape, path, `satisfy regular expression pattern: ${shape.pattern}`, 'pattern');
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      if (typeof value !== 'number' || Number.isNaN(value))
        return fail(errors, value, shape, path, 'be a number', 'type');
      if ((shape.type === 'integer' || shape.type === 'long') && !Number.isInteger(value))
        fail(errors, value, shape, path, 'be an integer', 'type');
      if (shape.min !== undefined && value < shape.min)
        return fail(errors, value, shape, path, `have value greater than or equal to ${shape.min}`, 'minValue');
      if (shape.max !== undefined && value > shape.max)
        fail(errors, value, shape, path, `have value less than or equal to ${shape.max}`, 'maxValue');
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail(errors, value, shape, path, 'be a boolean', 'type');
      return;
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime()))
        fail(errors, value, shape, path, 'be a timestamp', 'type');
      return;
    default:
      return;
  }
}

function join(path: string, name: string): string {
  return path === '' ? lowerFirst(name) : `${path}.${lowerFirst(name)}`;
}

/** Throws `ModelValidationError` (code `ValidationError`, AWS's wording) when the input breaks its shape's constraints. */
export function validateInput(model: ServiceModel, operationName: string, input: Record<string, unknown>): void {
  const ref = model.operations[operationName]?.input;
  if (ref === undefined) return;
  const errors: Failures = { messages: [], violations: [] };
  check(model, ref, input, '', errors);
  const n = errors.messages.length;
  if (n === 0) return;
  const count = n === 1 ? '1 validation error detected' : `${n} validation errors detected`;
  const listed = errors.messages.slice(0, LISTED_ERRORS_MAX).join('; ');
  throw new ModelValidationError(`${count}: ${listed}`, errors.violations);
}
