import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDate } from './date.js';
import { runOperatorCase, type OperatorCase } from './testing.js';

const cases: OperatorCase[] = [
  {
    name: 'NumericEquals compares numbers, not text',
    operator: 'NumericEquals',
    context: '10.0',
    policy: ['10'],
    expected: true,
  },
  { name: 'NumericLessThan', operator: 'NumericLessThan', context: '9', policy: ['10'], expected: true },
  { name: 'NumericLessThan is strict', operator: 'NumericLessThan', context: '10', policy: ['10'], expected: false },
  {
    name: 'NumericLessThanEquals includes equality',
    operator: 'NumericLessThanEquals',
    context: '10',
    policy: ['10'],
    expected: true,
  },
  { name: 'NumericGreaterThan', operator: 'NumericGreaterThan', context: '11', policy: ['10'], expected: true },
  {
    name: 'NumericGreaterThanEquals',
    operator: 'NumericGreaterThanEquals',
    context: '-1',
    policy: ['0'],
    expected: false,
  },
  { name: 'NumericNotEquals', operator: 'NumericNotEquals', context: '3', policy: ['10'], expected: true },
  {
    name: 'a context value that is not a number never matches',
    operator: 'NumericEquals',
    context: 'ten',
    policy: ['10'],
    expected: false,
  },
  {
    name: 'Numeric operators take no policy variables',
    operator: 'NumericEquals',
    context: '10',
    policy: ['${aws:PrincipalTag/n}'],
    others: { 'aws:PrincipalTag/n': '10' },
    expected: false,
  },
  {
    name: 'DateLessThan compares instants',
    operator: 'DateLessThan',
    context: '2026-01-01T00:00:00Z',
    policy: ['2026-06-01T00:00:00Z'],
    expected: true,
  },
  {
    name: 'dates and epoch seconds compare',
    operator: 'DateEquals',
    context: '1767225600',
    policy: ['2026-01-01T00:00:00Z'],
    expected: true,
  },
  {
    name: 'offsets are honoured',
    operator: 'DateEquals',
    context: '2026-01-01T01:00:00+01:00',
    policy: ['2026-01-01T00:00:00Z'],
    expected: true,
  },
  {
    name: 'a date without time is midnight UTC',
    operator: 'DateEquals',
    context: '2026-01-01',
    policy: ['2026-01-01T00:00:00Z'],
    expected: true,
  },
  {
    name: 'DateGreaterThanEquals',
    operator: 'DateGreaterThanEquals',
    context: '2025-12-31T23:59:59Z',
    policy: ['2026-01-01'],
    expected: false,
  },
  { name: 'DateNotEquals', operator: 'DateNotEquals', context: '2025-12-31', policy: ['2026-01-01'], expected: true },
  {
    name: 'a context value that is not a date never matches',
    operator: 'DateLessThan',
    context: 'yesterday',
    policy: ['2026-01-01'],
    expected: false,
  },
];

for (const c of cases) test(c.name, () => assert.equal(runOperatorCase(c), c.expected));

test('parseDate rejects a month 13', () => assert.equal(parseDate('2026-13-01'), undefined));
test('parseDate reads fractions of a second', () => assert.equal(parseDate('1970-01-01T00:00:01.5Z'), 1500));
