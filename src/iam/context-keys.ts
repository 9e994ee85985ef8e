/**
 * GetContextKeysForCustomPolicy / GetContextKeysForPrincipalPolicy: the condition keys policies refer to,
 * in their Condition blocks and as `${…}` policy variables anywhere in a statement (AWS's own example answers
 * `aws:username` for a Resource of `table/${aws:username}`). Each key once, in the order the policies first
 * use it, spelled as AWS's catalog spells it (`aws:CurrentTime` for `aws:currenttime`).
 */
import { catalog } from '../catalog/index.js';
import { parseDocument, type StatementDocument } from '../policy/index.js';
import { invalidInput } from './errors.js';

// `${aws:username}` and `${aws:username, 'default'}`; the escapes `${*}`, `${?}` and `${$}` name no key.
const VARIABLE = /\$\{\s*([^}\s,]+:[^}\s,]+)\s*(?:,[^}]*)?\}/g;

function variablesIn(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => [...value.matchAll(VARIABLE)].map((m) => m[1]!));
}

function keysOf(statement: StatementDocument): string[] {
  return [
    ...variablesIn(statement.resource),
    ...variablesIn(statement.notResource),
    ...statement.condition.flatMap((c) => [c.key, ...variablesIn(c.values)]),
  ];
}

/** The context keys of the given policy documents (JSON text); AWS's InvalidInput for one it cannot read. */
export function contextKeyNames(documents: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const [index, text] of documents.entries()) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw invalidInput(`Policy ${index + 1} in the PolicyInputList is not valid JSON.`);
    }
    const parsed = parseDocument(raw, { resourceOptional: true });
    if (!parsed.ok) throw invalidInput(`Policy ${index + 1} in the PolicyInputList is not valid: ${parsed.errors[0]}`);
    for (const key of parsed.document.statements.flatMap(keysOf)) {
      const lower = key.toLowerCase();
      if (!seen.has(lower)) seen.set(lower, catalog().describeConditionKey(key)?.key ?? key);
    }
  }
  return [...seen.values()];
}
