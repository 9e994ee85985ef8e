/**
 * Where a finding's path points in the document text, for editors that underline it (the console's JSON
 * policy editor). Access Analyzer answers spans; Bursar's findings carry paths, and this turns one into a span.
 */
import { lineAndColumn, readJson, type JsonNode } from './validate-json.js';

export interface TextSpan {
  /** Offsets into the text, end exclusive. */
  start: number;
  end: number;
  /** 1-based position of `start`. */
  line: number;
  column: number;
}

/**
 * The span of the value at `path` in `text` (for an object member, its value; a duplicated member resolves to
 * its last copy, the one duplicate findings point at). Undefined when the text is not JSON or the path leads
 * nowhere; a path into a missing member resolves to the nearest enclosing value.
 */
export function locateFinding(text: string, path: readonly (string | number)[]): TextSpan | undefined {
  const parsed = readJson(text);
  if (!parsed.ok) {
    return { start: parsed.offset, end: parsed.offset, line: parsed.line, column: parsed.column };
  }
  let node: JsonNode = parsed.node;
  for (const step of path) {
    let next: JsonNode | undefined;
    if (node.kind === 'object' && typeof step === 'string') {
      next = node.entries.findLast((e) => e.key === step)?.value;
    } else if (node.kind === 'array' && typeof step === 'number') {
      next = node.items[step];
    }
    if (next === undefined) break;
    node = next;
  }
  if (node.start === undefined || node.end === undefined) return undefined;
  return { start: node.start, end: node.end, ...lineAndColumn(text, node.start) };
}
