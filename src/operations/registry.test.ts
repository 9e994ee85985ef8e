import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OperationRegistry } from './registry.js';
import type { AnyOperation, Operation } from '../core/operation.js';

const handler = async () => ({});

describe('OperationRegistry', () => {
  it('registers operations that declare their access requests or why they need none', () => {
    const registry = new OperationRegistry().register(
      {
        service: 'iam',
        name: 'ListUsers',
        access: () => [{ action: 'iam:ListUsers', resource: '*' }],
        mutates: false,
        handler,
      },
      {
        service: 'sts',
        name: 'GetCallerIdentity',
        access: { none: 'Every caller may ask who it is.' },
        mutates: false,
        handler,
      },
    );
    assert.deepEqual(registry.names('iam'), ['ListUsers']);
    assert.deepEqual(registry.names('sts'), ['GetCallerIdentity']);
  });

  it('refuses, at registration, an operation without access rules', () => {
    // @ts-expect-error -- the type makes `access` mandatory; the registry refuses what slips past it.
    const untyped: Operation<unknown> = { service: 'ce', name: 'GetCostAndUsage', mutates: false, handler };
    assert.throws(() => new OperationRegistry().register(untyped), /ce:GetCostAndUsage declares no access rules/);
  });

  it('refuses the old "null means no permission" form and an opt-out without a reason', () => {
    const cases: Array<[string, unknown]> = [
      ['null', null],
      ['a reason-less opt-out', { none: '' }],
      ['a blank reason', { none: '   ' }],
      ['a string', 'none'],
    ];
    for (const [label, access] of cases) {
      const operation = { service: 'billing', name: 'GetCredits', access, mutates: false, handler } as AnyOperation;
      assert.throws(() => new OperationRegistry().register(operation), /declares no access rules/, label);
    }
  });

  it('types what an operation needs against the services the registry provides', () => {
    interface Ledger {
      balance(): string;
    }
    const balance: Operation<{ ledger: Ledger }> = {
      service: 'payments',
      name: 'GetBalance',
      access: { none: 'A test operation.' },
      mutates: false,
      handler: async (_input, ctx) => ({ Balance: ctx.services.ledger.balance() }),
    };
    const closedOver: Operation<unknown> = {
      service: 'payments',
      name: 'GetZero',
      access: { none: 'A test operation.' },
      mutates: false,
      handler: async () => ({ Balance: '0' }),
    };
    new OperationRegistry<{ ledger: Ledger; clockSkew: number }>().register(balance, closedOver);
    // @ts-expect-error -- a registry whose services lack the ledger does not accept an operation that reads it.
    new OperationRegistry<{ clockSkew: number }>().register(balance);
    // @ts-expect-error -- nor one whose ledger has another shape.
    new OperationRegistry<{ ledger: { balance(): number } }>().register(balance);
  });
});
