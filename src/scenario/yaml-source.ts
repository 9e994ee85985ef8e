/**
 * A YAML scenario parsed with js-yaml, keeping where each value starts — the same `ParsedSource` the JSON
 * parser gives, so a YAML file's schema and reference errors name a line and column too. js-yaml keeps no
 * positions in its result, but its `listener` reports every node it composes ('open' where the node's text
 * begins, 'close' with its value); those events nest as the nodes do, so walking the event tree beside the
 * parsed value gives each JSON Pointer its position.
 */
import yaml from 'js-yaml';
import { SourceSyntaxError, pointer, type ParsedSource, type Position } from './json-source.js';

interface NodeEvent {
  start: number;
  result: unknown;
  children: NodeEvent[];
}

/**
 * YAML 1.2's core schema: no timestamps or binary (a date stays a string, as in JSON); a duplicate key is an
 * error, as the JSON parser has it.
 */
const OPTIONS = { schema: yaml.CORE_SCHEMA, json: false } as const;

export function parseYamlSource(source: string): ParsedSource {
  // js-yaml drops a byte order mark before parsing; drop it here so offsets agree.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const root: NodeEvent = { start: 0, result: undefined, children: [] };
  const open: NodeEvent[] = [root];
  let value: unknown;
  try {
    value = yaml.load(text, {
      ...OPTIONS,
      listener(event, state) {
        if (event === 'open') {
          const node: NodeEvent = { start: state.position, result: undefined, children: [] };
          open.at(-1)!.children.push(node);
          open.push(node);
        } else {
          open.pop()!.result = state.result;
        }
      },
    });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    throw new SourceSyntaxError(error.reason, { line: error.mark.line + 1, column: error.mark.column + 1 });
  }

  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  /** A node's 'open' comes before the spaces, line breaks and comments that precede its text. */
  const positionAt = (offset: number): Position => {
    let at = offset;
    for (;;) {
      const c = text[at];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') at++;
      else if (c === '#') while (at < text.length && text[at] !== '\n') at++;
      else break;
    }
    let line = lineStarts.length - 1;
    while (lineStarts[line]! > at) line--;
    return { line: line + 1, column: at - lineStarts[line]! + 1 };
  };

  const positions = new Map<string, Position>();
  function walk(node: NodeEvent, v: unknown, path: string): void {
    positions.set(path, positionAt(node.start));
    if (v === null || typeof v !== 'object') return;
    // A flow collection or a block mapping is composed inside a node that then takes its value: descend to it.
    let inner = node;
    while (inner.children.length > 0 && inner.children[0]!.result === v) inner = inner.children[0]!;
    const kids = inner.children;
    if (Array.isArray(v)) {
      let cursor = 0;
      v.forEach((item, i) => {
        const at = kids.findIndex((k, j) => j >= cursor && Object.is(k.result, item));
        if (at === -1) return;
        walk(kids[at]!, item, pointer(path, i));
        cursor = at + 1;
      });
      return;
    }
    // A mapping's events are key, value, key, value… (and a last key that failed to start an entry).
    const object = v as Record<string, unknown>;
    for (let i = 0; i + 1 < kids.length;) {
      const key = kids[i]!.result;
      const name = typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
      if (name !== undefined && Object.hasOwn(object, name) && Object.is(kids[i + 1]!.result, object[name])) {
        const member = pointer(path, name);
        positions.set(`${member}#key`, positionAt(kids[i]!.start));
        walk(kids[i + 1]!, object[name], member);
        i += 2;
      } else i++;
    }
  }
  const top = root.children.find((n) => n.result === value);
  if (top !== undefined) walk(top, value, '');
  else positions.set('', { line: 1, column: 1 });
  return { value, positions };
}

/** A scenario as YAML, for `scenario export --out F.yaml` and the console's download. */
export function renderYaml(value: unknown): string {
  return yaml.dump(value, { ...OPTIONS, lineWidth: 120, noRefs: true });
}
