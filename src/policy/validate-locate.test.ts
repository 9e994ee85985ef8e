import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateFinding } from './validate-locate.js';

const text = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["aws-portal:ViewBilling", "aws-portal:ViewBudget"], "Resource": "*" }
  ]
}`;

describe('locateFinding', () => {
  it('finds the value a path points at', () => {
    const span = locateFinding(text, ['Statement', 0, 'Action', 1]);
    assert.equal(text.slice(span?.start, span?.end), '"aws-portal:ViewBudget"');
    assert.deepEqual([span?.line, span?.column], [4, 63]);
  });

  it('falls back to the nearest enclosing value for a missing member', () => {
    const span = locateFinding(text, ['Statement', 0, 'Condition']);
    assert.equal(text.slice(span?.start, span?.end).startsWith('{ "Effect"'), true);
  });

  it('points at the last copy of a duplicated member', () => {
    const doubled = '{"Version":"2012-10-17","Version":"2008-10-17"}';
    const span = locateFinding(doubled, ['Version']);
    assert.equal(doubled.slice(span?.start, span?.end), '"2008-10-17"');
  });

  it('answers the syntax error position for malformed JSON', () => {
    assert.deepEqual(locateFinding('{"a": }', []), { start: 6, end: 6, line: 1, column: 7 });
  });
});
