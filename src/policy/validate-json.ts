/**
 * A small JSON reader for policy validation. Unlike JSON.parse it keeps every member of an object, so
 * duplicated keys can be reported, and it reports where a syntax error is. It is iterative over the
 * input and bounded in depth, so no input can exhaust the stack or make it loop.
 */

/** `start`/`end` are the node's offsets in the text (end exclusive), so findings can be located. */
export type JsonNode = (
  | { kind: 'object'; entries: JsonEntry[] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
) & { start?: number; end?: number };

export interface JsonEntry {
  key: string;
  value: JsonNode;
  /** Offset of the member name's opening quote. */
  keyStart?: number;
}

export type JsonReadResult =
  { ok: true; node: JsonNode } | { ok: false; message: string; offset: number; line: number; column: number };

/** Deeper nesting than any policy needs; the limit keeps recursion bounded. */
const MAX_DEPTH = 64;

class JsonSyntaxError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

export function readJson(text: string): JsonReadResult {
  let at = 0;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, at);
  };
  const skipWhitespace = (): void => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      at++;
    }
  };
  const describe = (): string => (at >= text.length ? 'end of input' : `'${text[at]}'`);

  const readString = (): string => {
    at++; // opening quote
    let value = '';
    let runStart = at;
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 0x22) {
        value += text.slice(runStart, at);
        at++;
        return value;
      }
      if (c < 0x20) fail('control character in string');
      if (c === 0x5c) {
        value += text.slice(runStart, at);
        const escape = text[at + 1];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (escape !== undefined && Object.hasOwn(simple, escape)) {
          value += simple[escape];
          at += 2;
        } else if (escape === 'u') {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
          value += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else {
          fail('invalid escape in string');
        }
        runStart = at;
        continue;
      }
      at++;
    }
    return fail('unterminated string');
  };

  const readNumber = (): number => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(at, at + 400));
    if (match === null) return fail(`unexpected ${describe()}`);
    at += match[0].length;
    return Number(match[0]);
  };

  const readLiteral = (word: string): void => {
    if (text.startsWith(word, at)) at += word.length;
    else fail(`unexpected ${describe()}`);
  };

  const readValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    skipWhitespace();
    const start = at;
    const node = readBareValue(depth);
    node.start = start;
    node.end = at;
    return node;
  };

  const readBareValue = (depth: number): JsonNode => {
    const c = text[at];
    if (c === '{') {
      at++;
      const entries: JsonEntry[] = [];
      skipWhitespace();
      if (text[at] === '}') {
        at++;
        return { kind: 'object', entries };
      }
      for (;;) {
        skipWhitespace();
        if (text[at] !== '"') fail(`expected a member name but found ${describe()}`);
        const keyStart = at;
        const key = readString();
        skipWhitespace();
        if (text[at] !== ':') fail(`expected ':' but found ${describe()}`);
        at++;
        entries.push({ key, value: readValue(depth + 1), keyStart });
        skipWhitespace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return { kind: 'object', entries };
        }
        fail(`expected ',' or '}' but found ${describe()}`);
      }
    }
    if (c === '[') {
      at++;
      const items: JsonNode[] = [];
      skipWhitespace();
      if (text[at] === ']') {
        at++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(readValue(depth + 1));
        skipWhitespace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          return { kind: 'array', items };
        }
        fail(`expected ',' or ']' but found ${describe()}`);
      }
    }
    if (c === '"') return { kind: 'string', value: readString() };
    if (c === 't') {
      readLiteral('true');
      return { kind: 'boolean', value: true };
    }
    if (c === 'f') {
      readLiteral('false');
      return { kind: 'boolean', value: false };
    }
    if (c === 'n') {
      readLiteral('null');
      return { kind: 'null' };
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return { kind: 'number', value: readNumber() };
    return fail(`unexpected ${describe()}`);
  };

  try {
    // A byte-order mark is not JSON, but editors add one; IAM's parser is not known to reject it, so skip it.
    if (text.charCodeAt(0) === 0xfeff) at = 1;
    const node = readValue(0);
    skipWhitespace();
    if (at < text.length) fail(`unexpected ${describe()} after the document`);
    return { ok: true, node };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { ok: false, message: error.message, offset: error.offset, ...lineAndColumn(text, error.offset) };
  }
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** The JSON text as IAM counts it against size quotas: whitespace outside string literals removed. */
export function withoutWhitespace(text: string): string {
  let out = '';
  let inString = false;
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      out += text.slice(runStart, i);
      runStart = i + 1;
    }
  }
  return out + text.slice(runStart);
}
