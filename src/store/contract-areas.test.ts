/**
 * The store contract, area by area beyond IAM (contract.test.ts): each area's queries whose answer could
 * differ between SQLite and PostgreSQL — paging order and its tie-breaks, JSON kept as text, byte-wise name
 * order, delete counts, a unique key — run unchanged against both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuditTrail, type AuditInput } from '../audit/trail.js';
import {
  budgetTags,
  deleteBudget,
  insertBudget,
  listBudgets,
  load,
  retagBudget,
  saveBudget,
  type BudgetInput,
} from '../billing/budgets/budgets.js';
import type { Caller } from '../core/operation.js';
import { seededIdSource } from '../platform/ids.js';
import { silentLogger } from '../platform/logger.js';
import type { OpenedDatabase } from './database.js';
import { uniqueViolation } from './dialect.js';
import { testDatabases } from './test-databases.js';

const ACCOUNT = '111122223333';
const NOW = new Date('2026-11-27T12:00:00.000Z');

const budget = (name: string): BudgetInput => ({
  BudgetName: name,
  BudgetType: 'COST',
  TimeUnit: 'MONTHLY',
  BudgetLimit: { Amount: '100', Unit: 'USD' },
});

for (const target of await testDatabases()) {
  describe(`store contract: budgets on ${target.label}`, { skip: target.skip }, () => {
    let opened: OpenedDatabase;
    before(async () => {
      opened = await target.open();
    });
    after(async () => opened?.close());

    test('budgets list in byte order of their names, JSON read back as written, one row per name', async () => {
      const db = opened.db;
      // Mixed case and punctuation: PostgreSQL's locale collation would put 'b-team' before 'B_ops'.
      for (const name of ['b-team', 'B_ops', 'a budget', 'Zeta']) {
        await insertBudget(db, ACCOUNT, budget(name), [], [{ Key: 'team', Value: name }], NOW);
      }
      await insertBudget(db, '444455556666', budget('other account'), [], [], NOW);
      assert.deepEqual(
        (await listBudgets(db, ACCOUNT)).map((stored) => stored.budget.BudgetName),
        ['B_ops', 'Zeta', 'a budget', 'b-team'],
      );
      await assert.rejects(insertBudget(db, ACCOUNT, budget('Zeta'), [], [], NOW), (error: unknown) =>
        uniqueViolation(error),
      );
      const notifications = [
        {
          Notification: {
            NotificationType: 'ACTUAL' as const,
            ComparisonOperator: 'GREATER_THAN' as const,
            Threshold: 80.5,
          },
          Subscribers: [{ SubscriptionType: 'EMAIL' as const, Address: 'ops+é@example.com' }],
        },
      ];
      await saveBudget(
        db,
        ACCOUNT,
        'Zeta',
        { notifications: JSON.stringify(notifications) },
        new Date('2026-11-28T00:00:00Z'),
      );
      const zeta = await load(db, ACCOUNT, 'Zeta');
      assert.deepEqual(zeta?.notifications, notifications);
      assert.equal(zeta?.updatedAt, '2026-11-28T00:00:00.000Z');
      assert.equal(await load(db, ACCOUNT, 'zeta'), undefined, 'budget names are case-sensitive');
    });

    test('tags merge by key; a delete reports whether a budget was there', async () => {
      const db = opened.db;
      await retagBudget(db, ACCOUNT, 'a budget', [{ Key: 'cost-center', Value: '42' }], ['team']);
      assert.deepEqual(await budgetTags(db, ACCOUNT, 'a budget'), [{ Key: 'cost-center', Value: '42' }]);
      assert.equal(await deleteBudget(db, ACCOUNT, 'a budget'), true);
      assert.equal(await deleteBudget(db, ACCOUNT, 'a budget'), false);
      assert.equal(await deleteBudget(db, ACCOUNT, 'other account'), false, 'only the account’s own');
    });
  });

  describe(`store contract: audit trail on ${target.label}`, { skip: target.skip }, () => {
    let opened: OpenedDatabase;
    let trail: AuditTrail;
    before(async () => {
      opened = await target.open();
      trail = new AuditTrail(opened.db, seededIdSource(`audit-${target.label}`), silentLogger);
    });
    after(async () => opened?.close());

    const caller: Caller = { kind: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };
    const entry = (operation: string, at: string, readOnly: boolean): AuditInput => ({
      caller,
      facts: { requestId: operation, sourceIp: '192.0.2.1', userAgent: 'contract', now: new Date(at), via: 'json' },
      service: 'iam',
      operation,
      input: { UserName: 'ünïcode', Password: 'secret' },
      decision: 'Allowed',
      readOnly,
    });

    test('lookup pages newest first, ties broken by event id, across pages without loss', async () => {
      // Three events in the same second and one later: the order must not depend on the dialect's tie-break.
      const ids = ['ev-b', 'ev-d', 'ev-a'];
      for (const id of ids) await trail.record(entry(`Same-${id}`, '2026-11-27T12:00:00.000Z', false), id);
      await trail.record(entry('Later', '2026-11-27T12:00:01.000Z', true), 'ev-c');
      const seen: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await trail.lookup(ACCOUNT, { maxResults: 1, ...(nextToken ? { nextToken } : {}) });
        seen.push(...page.events.map((stored) => stored.event.eventID));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      assert.deepEqual(seen, ['ev-c', 'ev-d', 'ev-b', 'ev-a']);
    });

    test('filters by attribute and time; the event reads back as written, secrets redacted', async () => {
      const readOnly = await trail.lookup(ACCOUNT, { attribute: { key: 'ReadOnly', value: 'true' } });
      assert.deepEqual(
        readOnly.events.map((stored) => stored.event.eventName),
        ['Later'],
      );
      const early = await trail.lookup(ACCOUNT, { endTime: new Date('2026-11-27T12:00:00.500Z') });
      assert.equal(early.events.length, 3);
      const [event] = (await trail.lookup(ACCOUNT, { attribute: { key: 'EventId', value: 'ev-d' } })).events;
      assert.deepEqual(event?.event.requestParameters, {
        userName: 'ünïcode',
        password: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      });
      assert.deepEqual((await trail.lookup('999999999999', {})).events, []);
    });
  });
}
