import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseDocument } from './document.js';

test('a Statement object and string values are normalised to arrays', () => {
  const r = parseDocument('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}');
  assert.ok(r.ok);
  assert.deepEqual(r.document.statements[0]?.action, ['s3:*']);
  assert.deepEqual(r.document.statements[0]?.resource, ['*']);
});
test('a missing Version reads as 2008-10-17', () => {
  const r = parseDocument({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  assert.ok(r.ok);
  assert.equal(r.document.version, '2008-10-17');
});
test('malformed JSON is an error, not an exception', () => {
  const r = parseDocument('{"Statement": [');
  assert.equal(r.ok, false);
});
test('Action with NotAction is an error', () => {
  const r = parseDocument({ Statement: { Effect: 'Allow', Action: '*', NotAction: 's3:*', Resource: '*' } });
  assert.ok(!r.ok);
  assert.match(r.errors.join(), /Action and NotAction/);
});
test('an unknown principal type is an error', () => {
  const r = parseDocument(
    { Statement: { Effect: 'Allow', Principal: { Robot: 'x' }, Action: '*' } },
    { resourceOptional: true },
  );
  assert.ok(!r.ok);
});
test('condition booleans and numbers become strings', () => {
  const r = parseDocument({
    Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } } },
  });
  assert.ok(r.ok);
  assert.deepEqual(r.document.statements[0]?.condition, [
    { operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] },
  ]);
});
test('arbitrary strings and JSON values never throw', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.jsonValue(), fc.json()), (value) => {
      const r = parseDocument(value);
      assert.equal(typeof r.ok, 'boolean');
    }),
    { numRuns: 2000 },
  );
});
