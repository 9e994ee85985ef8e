import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOperatorName } from './index.js';
import { runOperatorCase, type OperatorCase } from './testing.js';

const cases: OperatorCase[] = [
  {
    name: 'an absent key fails a positive operator',
    operator: 'StringEquals',
    context: undefined,
    policy: ['a'],
    expected: false,
  },
  {
    name: 'an absent key satisfies a negated operator',
    operator: 'StringNotEquals',
    context: undefined,
    policy: ['a'],
    expected: true,
  },
  {
    name: 'IfExists is true when the key is absent',
    operator: 'StringEqualsIfExists',
    context: undefined,
    policy: ['a'],
    expected: true,
  },
  {
    name: 'IfExists checks the value when present',
    operator: 'StringEqualsIfExists',
    context: 'b',
    policy: ['a'],
    expected: false,
  },
  {
    name: 'ForAllValues is true for an absent key',
    operator: 'ForAllValues:StringEquals',
    context: undefined,
    policy: ['a'],
    expected: true,
  },
  {
    name: 'ForAllValues is true for an empty list',
    operator: 'ForAllValues:StringEquals',
    context: [],
    policy: ['a'],
    expected: true,
  },
  {
    name: 'ForAllValues needs every value to match',
    operator: 'ForAllValues:StringEquals',
    context: ['a', 'b'],
    policy: ['a'],
    expected: false,
  },
  {
    name: 'ForAllValues with every value listed',
    operator: 'ForAllValues:StringEquals',
    context: ['a', 'b'],
    policy: ['a', 'b', 'c'],
    expected: true,
  },
  {
    name: 'ForAnyValue is false for an absent key',
    operator: 'ForAnyValue:StringEquals',
    context: undefined,
    policy: ['a'],
    expected: false,
  },
  {
    name: 'ForAnyValue is false for an empty list',
    operator: 'ForAnyValue:StringEquals',
    context: [],
    policy: ['a'],
    expected: false,
  },
  {
    name: 'ForAnyValue needs one value to match',
    operator: 'ForAnyValue:StringEquals',
    context: ['x', 'a'],
    policy: ['a'],
    expected: true,
  },
  {
    name: 'ForAnyValue negated: one value outside the list',
    operator: 'ForAnyValue:StringNotEquals',
    context: ['a', 'x'],
    policy: ['a'],
    expected: true,
  },
  {
    name: 'ForAnyValue negated: every value in the list',
    operator: 'ForAnyValue:StringNotEquals',
    context: ['a'],
    policy: ['a'],
    expected: false,
  },
  {
    name: 'ForAllValues negated: no value in the list',
    operator: 'ForAllValues:StringNotEquals',
    context: ['x', 'y'],
    policy: ['a'],
    expected: true,
  },
  {
    name: 'ForAllValues negated: one value in the list',
    operator: 'ForAllValues:StringNotEquals',
    context: ['x', 'a'],
    policy: ['a'],
    expected: false,
  },
  {
    name: 'a multi-valued key without qualifier matches any value',
    operator: 'StringEquals',
    context: ['x', 'a'],
    policy: ['a'],
    expected: true,
  },
  {
    name: 'a negated operator on a multi-valued key needs no match',
    operator: 'StringNotEquals',
    context: ['x', 'a'],
    policy: ['a'],
    expected: false,
  },
  {
    name: 'ForAnyValue with IfExists on an absent key',
    operator: 'ForAnyValue:StringEqualsIfExists',
    context: undefined,
    policy: ['a'],
    expected: true,
  },
];

for (const c of cases) test(c.name, () => assert.equal(runOperatorCase(c), c.expected));

test('operator names are read case-insensitively with qualifiers', () => {
  const parsed = parseOperatorName('forallvalues:stringlikeifexists');
  assert.equal(parsed?.operator.name, 'StringLike');
  assert.equal(parsed?.set, 'all');
  assert.equal(parsed?.ifExists, true);
});
test('an unknown operator is not read', () => assert.equal(parseOperatorName('StringSortOf'), undefined));
test('Null takes no IfExists', () => assert.equal(parseOperatorName('NullIfExists'), undefined));
