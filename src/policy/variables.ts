/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`) and the escapes `${*}`, `${?}`,
 * `${$}`. A template is parsed once at compile time; at evaluation it resolves against the request.
 * A variable whose key is absent (or multi-valued) and has no default leaves the whole value unresolved:
 * AWS says such a value "might cause the entire statement to be invalid", so it matches nothing.
 */

/**
 * Characters a resolved glob pattern uses for *literal* `*` and `?` (from escapes or substituted values),
 * so that text a variable brings in can never act as a wildcard. Private-use code points: IAM values do
 * not contain them.
 */
export const LITERAL_STAR = '\uE000';
export const LITERAL_QUESTION = '\uE001';

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'variable'; key: string; keyAsWritten: string; fallback?: string };

export interface Template {
  source: string;
  parts: TemplatePart[];
}

/**
 * The request's values as conditions and variables read them. An object with methods rather than
 * callbacks, so that evaluating a request creates no closures.
 */
export interface ContextSource {
  /** The value(s) of a key (lowercased, and as the policy spells it), or undefined when absent. */
  get(lowerKey: string, keyAsWritten: string): string | readonly string[] | undefined;
  /** Hears a key that a condition or variable needed but the request did not carry. */
  missing(keyAsWritten: string): void;
}

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/** Reads `'…'` (with `''` for a quote) starting at `text[start]`; returns the value and the index after it. */
function readQuoted(text: string, start: number): { value: string; end: number } | undefined {
  if (text[start] !== "'") return undefined;
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += text[i];
    i += 1;
  }
  return undefined;
}

/** Parses one `${…}` starting at `text[start]` (which is `$`); undefined when it is not a well-formed variable. */
function readVariable(text: string, start: number): { part: TemplatePart; end: number } | undefined {
  let i = start + 2;
  const keyStart = i;
  while (i < text.length && text[i] !== '}' && text[i] !== ',') i += 1;
  if (i >= text.length) return undefined;
  const keyAsWritten = text.slice(keyStart, i).trim();
  if (keyAsWritten === '') return undefined;
  if (text[i] === '}') {
    const escaped = ESCAPES[keyAsWritten];
    if (escaped !== undefined) return { part: { kind: 'literal', text: escaped }, end: i + 1 };
    return { part: { kind: 'variable', key: keyAsWritten.toLowerCase(), keyAsWritten }, end: i + 1 };
  }
  i += 1;
  while (text[i] === ' ') i += 1;
  const quoted = readQuoted(text, i);
  if (quoted === undefined) return undefined;
  i = quoted.end;
  while (text[i] === ' ') i += 1;
  if (text[i] !== '}') return undefined;
  return {
    part: { kind: 'variable', key: keyAsWritten.toLowerCase(), keyAsWritten, fallback: quoted.value },
    end: i + 1,
  };
}

/**
 * Parses a policy value into a template. With variables disabled (Version 2008-10-17) or no `${` in the
 * value, the template is one text part; malformed `${…` stays literal text.
 */
export function parseTemplate(source: string, variablesEnabled: boolean): Template {
  if (!variablesEnabled || !source.includes('${')) return { source, parts: [{ kind: 'text', text: source }] };
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    if (source[i] === '$' && source[i + 1] === '{') {
      const variable = readVariable(source, i);
      if (variable !== undefined) {
        if (text !== '') parts.push({ kind: 'text', text });
        text = '';
        parts.push(variable.part);
        i = variable.end;
        continue;
      }
    }
    text += source[i];
    i += 1;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return { source, parts };
}

export function hasVariables(template: Template): boolean {
  return template.parts.some((p) => p.kind !== 'text');
}

function protectWildcards(text: string): string {
  return text.replaceAll('*', LITERAL_STAR).replaceAll('?', LITERAL_QUESTION);
}

/**
 * Resolves a template. `forGlob` marks text that came from escapes or variables as literal (see
 * LITERAL_STAR). Returns undefined when a variable cannot be resolved; the source hears its key.
 */
export function resolveTemplate(template: Template, source: ContextSource, forGlob: boolean): string | undefined {
  const only = template.parts.length === 1 ? template.parts[0] : undefined;
  // The common `${aws:username}` alone: no concatenation.
  if (only?.kind === 'variable' && !forGlob) {
    const value = source.get(only.key, only.keyAsWritten);
    if (typeof value === 'string') return value;
  }
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    let value: string | undefined;
    if (part.kind === 'literal') {
      value = part.text;
    } else {
      const values = source.get(part.key, part.keyAsWritten);
      if (typeof values === 'string') value = values;
      else if (values !== undefined && values.length === 1) value = values[0];
      else if (part.fallback !== undefined) value = part.fallback;
      else {
        if (values === undefined || values.length === 0) source.missing(part.keyAsWritten);
        return undefined;
      }
    }
    out += forGlob ? protectWildcards(value as string) : value;
  }
  return out;
}
