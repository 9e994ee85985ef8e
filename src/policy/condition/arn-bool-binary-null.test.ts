import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runOperatorCase, type OperatorCase } from './testing.js';

const role = 'arn:aws:iam::123456789012:role/ops/Deployer';
const cases: OperatorCase[] = [
  { name: 'ArnEquals matches the same ARN', operator: 'ArnEquals', context: role, policy: [role], expected: true },
  {
    name: 'ArnLike star spans slashes in the resource part',
    operator: 'ArnLike',
    context: role,
    policy: ['arn:aws:iam::123456789012:role/*'],
    expected: true,
  },
  {
    name: 'ArnLike star stays inside the account segment',
    operator: 'ArnLike',
    context: role,
    policy: ['arn:aws:iam::*'],
    expected: false,
  },
  {
    name: 'ArnLike wildcards per segment',
    operator: 'ArnLike',
    context: role,
    policy: ['arn:aws:iam::*:role/ops/*'],
    expected: true,
  },
  {
    name: 'ArnLike is case sensitive',
    operator: 'ArnLike',
    context: role,
    policy: ['arn:aws:iam::*:role/OPS/*'],
    expected: false,
  },
  {
    name: 'ArnNotLike is true for another account',
    operator: 'ArnNotLike',
    context: role,
    policy: ['arn:aws:iam::999999999999:*'],
    expected: true,
  },
  { name: 'Bool reads true case-insensitively', operator: 'Bool', context: 'TRUE', policy: ['true'], expected: true },
  { name: 'Bool false does not match true', operator: 'Bool', context: 'true', policy: ['false'], expected: false },
  {
    name: 'BinaryEquals compares base64 text',
    operator: 'BinaryEquals',
    context: 'QmluYXJ5',
    policy: ['QmluYXJ5'],
    expected: true,
  },
  { name: 'Null true matches an absent key', operator: 'Null', context: undefined, policy: ['true'], expected: true },
  { name: 'Null true does not match a present key', operator: 'Null', context: 'x', policy: ['true'], expected: false },
  { name: 'Null false matches a present key', operator: 'Null', context: 'x', policy: ['false'], expected: true },
  { name: 'Null treats an empty list as absent', operator: 'Null', context: [], policy: ['true'], expected: true },
];

for (const c of cases) test(c.name, () => assert.equal(runOperatorCase(c), c.expected));
