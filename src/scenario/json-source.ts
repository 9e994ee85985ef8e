/**
 * A JSON parser that remembers where each value starts, so a scenario's validation errors can name a line and
 * column (JSON.parse keeps no positions). Strict RFC 8259: no comments, no trailing commas. YAML files get the
 * same `ParsedSource` from yaml-source.ts.
 */

export interface Position {
  line: number;
  column: number;
}

export interface SourceError extends Position {
  /** JSON Pointer of the value the error is about ('' for the document). */
  path: string;
  message: string;
}

export interface ParsedSource {
  value: unknown;
  /** Where each value starts, by JSON Pointer; an object member's key position is under `path + '#key'`. */
  positions: Map<string, Position>;
}

/** A file that does not parse (JSON or YAML), where it stops. */
export class SourceSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: Position,
  ) {
    super(`${position.line}:${position.column}: ${message}`);
  }
}

export const pointer = (path: string, key: string | number): string =>
  `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;

export function parseJsonSource(text: string): ParsedSource {
  const positions = new Map<string, Position>();
  let index = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): Position => ({ line, column: index - lineStart + 1 });
  const fail = (message: string): never => {
    throw new SourceSyntaxError(message, here());
  };

  function skipSpace(): void {
    for (;;) {
      const c = text[index];
      if (c === '\n') {
        index++;
        line++;
        lineStart = index;
      } else if (c === ' ' || c === '\t' || c === '\r') index++;
      else return;
    }
  }

  function expect(literal: string): void {
    if (text.startsWith(literal, index)) index += literal.length;
    else fail(`expected ${literal}`);
  }

  function parseString(): string {
    const start = index;
    index++; // the opening quote
    for (;;) {
      const c = text[index];
      if (c === undefined || c === '\n') fail('unterminated string');
      if (c === '"') break;
      if (c === '\\') index++;
      else if (c! < ' ') fail('control character in string');
      index++;
    }
    index++;
    try {
      return JSON.parse(text.slice(start, index)) as string;
    } catch {
      index = start;
      return fail('invalid escape in string');
    }
  }

  function parseValue(path: string): unknown {
    skipSpace();
    positions.set(path, here());
    const c = text[index];
    if (c === '{') {
      index++;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (text[index] === '}') {
        index++;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text[index] !== '"') fail('expected a member name in double quotes');
        const keyPosition = here();
        const key = parseString();
        const member = pointer(path, key);
        if (Object.hasOwn(object, key)) {
          throw new SourceSyntaxError(`duplicate member "${key}"`, keyPosition);
        }
        positions.set(`${member}#key`, keyPosition);
        skipSpace();
        expect(':');
        object[key] = parseValue(member);
        skipSpace();
        if (text[index] === ',') index++;
        else if (text[index] === '}') {
          index++;
          return object;
        } else fail('expected , or }');
      }
    }
    if (c === '[') {
      index++;
      const array: unknown[] = [];
      skipSpace();
      if (text[index] === ']') {
        index++;
        return array;
      }
      for (;;) {
        array.push(parseValue(pointer(path, array.length)));
        skipSpace();
        if (text[index] === ',') index++;
        else if (text[index] === ']') {
          index++;
          return array;
        } else fail('expected , or ]');
      }
    }
    if (c === '"') return parseString();
    if (c === 't') return (expect('true'), true);
    if (c === 'f') return (expect('false'), false);
    if (c === 'n') return (expect('null'), null);
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index, index + 400));
    if (number === null) return fail(c === undefined ? 'unexpected end of input' : `unexpected character ${c}`);
    index += number[0].length;
    return Number(number[0]);
  }

  const value = parseValue('');
  skipSpace();
  if (index < text.length) fail('unexpected content after the document');
  return { value, positions };
}

/** The position of the value at `path`, or of its nearest parent that has one. */
export function positionOf(positions: Map<string, Position>, path: string): Position {
  for (let p = path; ; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
    const found = positions.get(p);
    if (found !== undefined) return found;
    if (p === '') return { line: 1, column: 1 };
  }
}
