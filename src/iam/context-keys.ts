/**
 * GetContextKeysForCustomPolicy / GetContextKeysForPrincipalPolicy: the condition keys policies refer to,
 * in their Condition blocks and as `${…}` policy variables in Resource, NotResource and condition values
 * (AWS's example answers `aws:username` for a Resource of `table/${aws:username}`). Each key once, in the
 * order the policies first use it, spelled as AWS's catalog spells it (`aws:CurrentTime` for `aws:currenttime`).
 */
import { catalog } from '../catalog/index.js';
import { parseDocument, type StatementDocument } from '../policy/index.js';
import { parseTemplate } from '../policy/variables.js';
import { invalidInput } from './errors.js';

/** The keys of the policy variables in these values (none in a Version 2008-10-17 policy, which has no variables). */
function variablesIn(values: readonly string[] | undefined, variablesEnabled: boolean): string[] {
  return (values ?? []).flatMap((value) =>
    parseTemplate(value, variablesEnabled).parts.flatMap((part) =>
      part.kind === 'variable' ? [part.keyAsWritten] : [],
    ),
  );
}

function keysOf(statement: StatementDocument, variablesEnabled: boolean): string[] {
  return [
    ...variablesIn(statement.resource, variablesEnabled),
    ...variablesIn(statement.notResource, variablesEnabled),
    ...statement.condition.flatMap((c) => [c.key, ...variablesIn(c.values, variablesEnabled)]),
  ];
}

/** The context keys of the given policy documents (JSON text); AWS's InvalidInput for one it cannot read. */
export function contextKeyNames(documents: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const [index, text] of documents.entries()) {
    const parsed = parseDocument(text, { resourceOptional: true });
    if (!parsed.ok) throw invalidInput(`Policy ${index + 1} in the PolicyInputList is not valid: ${parsed.errors[0]}`);
    const variablesEnabled = parsed.document.version === '2012-10-17';
    for (const key of parsed.document.statements.flatMap((s) => keysOf(s, variablesEnabled))) {
      const lower = key.toLowerCase();
      if (!seen.has(lower)) seen.set(lower, catalog().describeConditionKey(key)?.key ?? key);
    }
  }
  return [...seen.values()];
}
