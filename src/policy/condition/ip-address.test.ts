import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpBlock } from './ip-address.js';
import { runOperatorCase, type OperatorCase } from './testing.js';

const cases: OperatorCase[] = [
  {
    name: 'an IPv4 address inside a CIDR block',
    operator: 'IpAddress',
    context: '10.1.2.3',
    policy: ['10.0.0.0/8'],
    expected: true,
  },
  {
    name: 'an IPv4 address outside a CIDR block',
    operator: 'IpAddress',
    context: '11.1.2.3',
    policy: ['10.0.0.0/8'],
    expected: false,
  },
  {
    name: 'a single address is a /32',
    operator: 'IpAddress',
    context: '192.0.2.1',
    policy: ['192.0.2.1'],
    expected: true,
  },
  {
    name: 'an odd prefix length splits a byte',
    operator: 'IpAddress',
    context: '203.0.113.130',
    policy: ['203.0.113.128/25'],
    expected: true,
  },
  {
    name: 'an odd prefix length excludes the other half',
    operator: 'IpAddress',
    context: '203.0.113.127',
    policy: ['203.0.113.128/25'],
    expected: false,
  },
  {
    name: 'an IPv6 address inside an IPv6 block',
    operator: 'IpAddress',
    context: '2001:db8::1',
    policy: ['2001:db8::/32'],
    expected: true,
  },
  {
    name: 'IPv6 compression is read',
    operator: 'IpAddress',
    context: '2001:0db8:0000:0000:0000:0000:0000:0001',
    policy: ['2001:db8::1'],
    expected: true,
  },
  {
    name: 'IPv4 never matches an IPv6 block',
    operator: 'IpAddress',
    context: '10.0.0.1',
    policy: ['::/0'],
    expected: false,
  },
  {
    name: '0.0.0.0/0 matches every IPv4 address',
    operator: 'IpAddress',
    context: '8.8.8.8',
    policy: ['0.0.0.0/0'],
    expected: true,
  },
  {
    name: 'NotIpAddress is true outside every block',
    operator: 'NotIpAddress',
    context: '8.8.8.8',
    policy: ['10.0.0.0/8', '192.168.0.0/16'],
    expected: true,
  },
  {
    name: 'NotIpAddress is false inside one block',
    operator: 'NotIpAddress',
    context: '192.168.1.1',
    policy: ['10.0.0.0/8', '192.168.0.0/16'],
    expected: false,
  },
  {
    name: 'a malformed context address never matches',
    operator: 'IpAddress',
    context: '10.0.0.300',
    policy: ['10.0.0.0/8'],
    expected: false,
  },
];

for (const c of cases) test(c.name, () => assert.equal(runOperatorCase(c), c.expected));

test('an embedded IPv4 tail is read as the last two words', () => {
  assert.deepEqual(parseIpBlock('::ffff:10.0.0.1')?.words, [0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]);
});
test('a prefix longer than the address is rejected', () => assert.equal(parseIpBlock('10.0.0.0/33'), undefined));
