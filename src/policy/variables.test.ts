import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LITERAL_STAR, parseTemplate, resolveTemplate, type ContextSource } from './variables.js';

function source(values: Record<string, string | string[]>): ContextSource & { missed: string[] } {
  const missed: string[] = [];
  return {
    missed,
    get: (lower) => Object.entries(values).find(([k]) => k.toLowerCase() === lower)?.[1],
    missing: (key) => void missed.push(key),
  };
}

const resolve = (text: string, values: Record<string, string | string[]>, glob = false): string | undefined =>
  resolveTemplate(parseTemplate(text, true), source(values), glob);

test('substitutes a variable, keys case-insensitive', () => {
  assert.equal(resolve('home/${AWS:UserName}/*', { 'aws:username': 'alice' }), 'home/alice/*');
});
test('uses the default when the key is absent', () => {
  assert.equal(resolve("${aws:PrincipalTag/team, 'none'}", {}), 'none');
});
test('a doubled quote in a default is one quote', () => {
  assert.equal(resolve("${x, 'it''s'}", {}), "it's");
});
test('an absent key without default leaves the value unresolved and reports the key', () => {
  const s = source({});
  assert.equal(resolveTemplate(parseTemplate('${aws:username}', true), s, false), undefined);
  assert.deepEqual(s.missed, ['aws:username']);
});
test('a multi-valued key cannot be substituted', () => {
  assert.equal(resolve('${aws:TagKeys}', { 'aws:TagKeys': ['a', 'b'] }), undefined);
});
test('escapes give literal characters', () => {
  assert.equal(resolve('${*}${?}${$}', {}), '*?$');
});
test('in glob mode substituted text cannot act as a wildcard', () => {
  assert.equal(resolve('${x}', { x: 'a*' }, true), `a${LITERAL_STAR}`);
});
test('a malformed variable stays literal text', () => {
  assert.equal(resolve('${unclosed', {}), '${unclosed');
});
test('with variables disabled the text is kept as written', () => {
  assert.deepEqual(parseTemplate('${aws:username}', false).parts, [{ kind: 'text', text: '${aws:username}' }]);
});
test('substitution happens once: a default that looks like a variable is not read again', () => {
  assert.equal(resolve("${x, '${y}'}", { y: 'nope' }), '${y}');
});
