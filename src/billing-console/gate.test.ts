import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { catalog } from '../catalog/index.js';
import type { Caller, RequestFacts } from '../operations/types.js';
import { FixedClock } from '../platform/clock.js';
import type { OpenedDatabase } from '../store/database.js';
import { testDatabases } from '../store/test-databases.js';
import { BillingConsoleGate, YOU_NEED_PERMISSIONS, type Authorize } from './gate.js';
import type { AnyOperation } from '../operations/registry.js';
import { withConsoleGates } from './console-gated.js';
import { billingConsoleOperations } from './operations.js';
import { CONSOLE_PAGES } from './pages.js';
import { BillingConsoleSettingsStore } from './settings.js';

const ACCOUNT = '111122223333';
const principal = (name: string): Caller => ({
  kind: 'user',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  userId: `AIDA${name.toUpperCase()}`,
  name,
});
const root: Caller = { kind: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };
const facts = (via: RequestFacts['via']): RequestFacts => ({
  requestId: 'r',
  sourceIp: '127.0.0.1',
  userAgent: 't',
  now: new Date('2026-11-27T12:00:00Z'),
  via,
});

const matches = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);

/** The seed tutorial's cast as allow/deny patterns; a stand-in for the engine that records every question. */
const POLICIES: Record<string, { allow: string[]; deny?: string[] }> = {
  FinanceManager: { allow: ['aws-portal:*'] },
  FinanceUser: {
    allow: [
      'aws-portal:ViewBilling',
      'aws-portal:ViewUsage',
      'aws-portal:ViewAccount',
      'aws-portal:ViewPaymentMethods',
    ],
  },
  NoPolicy: { allow: [] },
  AllButBilling: { allow: ['*'], deny: ['aws-portal:*'] },
  FineGrainedReader: {
    allow: [
      'billing:Get*',
      'account:Get*',
      'account:List*',
      'payments:List*',
      'tax:List*',
      'consolidatedbilling:*',
      'freetier:Get*',
      'invoicing:Get*',
    ],
  },
};
const asked: string[] = [];
const authorize: Authorize = async (caller, _facts, request) => {
  asked.push(request.action);
  if (caller.kind === 'root') return { decision: 'Allowed' };
  const p = POLICIES[caller.name!]!;
  if (p.deny?.some((d) => matches(d, request.action))) return { decision: 'ExplicitlyDenied' };
  return { decision: p.allow.some((a) => matches(a, request.action)) ? 'Allowed' : 'ImplicitlyDenied' };
};

for (const database of await testDatabases()) {
  describe(`billing console gate (${database.label})`, { skip: database.skip }, () => {
    let opened: OpenedDatabase;
    let settings: BillingConsoleSettingsStore;
    let gate: BillingConsoleGate;

    before(async () => {
      opened = await database.open();
    });
    after(async () => opened.close());
    beforeEach(async () => {
      await opened.db.deleteFrom('billing_console_settings').execute();
      settings = new BillingConsoleSettingsStore(opened.db, new FixedClock('2026-11-27T12:00:00Z'));
      gate = new BillingConsoleGate({ settings, authorize, expandAction: (p) => catalog().expandAction(p) });
      asked.length = 0;
    });

    it('starts a standalone account with IAM access off and the existing action set', async () => {
      const s = await settings.get(ACCOUNT);
      assert.equal(s.iamAccessToBilling, false);
      assert.equal(s.consoleActionSet, 'existing');
    });

    it('refuses every governed page to IAM users while the switch is off, whatever their policies; never root', async () => {
      for (const p of CONSOLE_PAGES.filter((page) => page.governed)) {
        const denial = await gate.check(principal('FinanceManager'), facts('console'), p.id);
        assert.equal(denial?.kind, 'page', p.id);
        assert.equal(denial?.reason, 'iam-access-off');
        assert.equal(denial?.title, YOU_NEED_PERMISSIONS);
        assert.equal(await gate.check(root, facts('console'), p.id, Object.keys(p.buttons)[0]), null, p.id);
      }
      const ungoverned = CONSOLE_PAGES.find((page) => !page.governed)!;
      assert.equal(await gate.check(principal('FinanceManager'), facts('console'), ungoverned.id), null);
    });

    // The seed matrix for the tutorial's test page, with the switch on, in both action sets.
    const matrix: Array<[string, 'existing' | 'fine-grained', boolean, 'allowed' | 'page' | 'action']> = [
      ['FinanceManager', 'existing', false, 'allowed'],
      ['FinanceManager', 'existing', true, 'allowed'],
      ['FinanceUser', 'existing', false, 'allowed'],
      ['FinanceUser', 'existing', true, 'action'],
      ['NoPolicy', 'existing', false, 'page'],
      ['AllButBilling', 'existing', false, 'page'],
      ['FinanceManager', 'fine-grained', false, 'page'],
      ['FineGrainedReader', 'fine-grained', false, 'allowed'],
      ['FineGrainedReader', 'fine-grained', true, 'action'],
      ['AllButBilling', 'fine-grained', true, 'allowed'],
    ];
    for (const [name, set, save, expected] of matrix) {
      it(`${name}, ${set} actions, ${save ? 'Save preferences' : 'open Billing preferences'}: ${expected}`, async () => {
        await settings.update(ACCOUNT, { iamAccessToBilling: true, consoleActionSet: set });
        const denial = await gate.check(
          principal(name),
          facts('console'),
          'billing-preferences',
          save ? 'save-preferences' : undefined,
        );
        assert.equal(denial === null ? 'allowed' : denial.kind, expected);
      });
    }

    it('tells FinanceUser the save needs ModifyBilling, and a fine-grained user the fine-grained action', async () => {
      await settings.update(ACCOUNT, { iamAccessToBilling: true });
      const legacy = await gate.check(
        principal('FinanceUser'),
        facts('console'),
        'billing-preferences',
        'save-preferences',
      );
      assert.equal(legacy?.title, 'Access Denied');
      assert.match(legacy!.message, /^You need ModifyBilling permissions/);
      await settings.update(ACCOUNT, { consoleActionSet: 'fine-grained' });
      const fine = await gate.check(
        principal('FineGrainedReader'),
        facts('console'),
        'billing-preferences',
        'save-preferences',
      );
      assert.deepEqual(fine?.missingActions, [
        'billing:UpdateBillingPreferences',
        'freetier:PutFreeTierAlertPreference',
      ]);
    });

    it('asks the engine for every concrete action a fine-grained wildcard stands for', async () => {
      await settings.update(ACCOUNT, { iamAccessToBilling: true, consoleActionSet: 'fine-grained' });
      await gate.check(principal('FineGrainedReader'), facts('console'), 'billing-home');
      assert.ok(asked.includes('billing:GetBillingPreferences'));
      assert.ok(asked.includes('billing:GetIAMAccessPreference'));
      assert.ok(!asked.some((a) => a.includes('*')));
    });

    describe('operations', () => {
      const op = (name: string) =>
        billingConsoleOperations({ billingConsoleSettings: settings, billingConsoleGate: gate }).find(
          (o) => o.name === name,
        )!;
      const ctx = (caller: Caller, via: RequestFacts['via']) => ({
        caller,
        facts: facts(via),
        services: {},
      });

      it('asks API callers for the billing action, console callers for the page gate', () => {
        const update = op('UpdateBillingPreferences');
        assert.deepEqual(update.access({}, ctx(principal('FinanceUser'), 'json')), [
          { action: 'billing:UpdateBillingPreferences', resource: '*' },
        ]);
        assert.equal(update.access({}, ctx(principal('FinanceUser'), 'console')), null);
      });

      it("refuses FinanceUser's Save preferences from the console with AccessDenied naming ModifyBilling", async () => {
        await settings.update(ACCOUNT, { iamAccessToBilling: true });
        await assert.rejects(
          op('UpdateBillingPreferences').handler(
            { InvoiceDeliveryByEmail: true },
            ctx(principal('FinanceUser'), 'console'),
          ),
          (e: { code: string; status: number; message: string }) =>
            e.code === 'AccessDenied' && e.status === 403 && /ModifyBilling/.test(e.message),
        );
        const saved = await op('UpdateBillingPreferences').handler(
          { InvoiceDeliveryByEmail: true },
          ctx(principal('FinanceManager'), 'console'),
        );
        assert.equal(saved.InvoiceDeliveryByEmail, true);
      });

      it('lets only the root user switch IAM access on', async () => {
        await assert.rejects(
          op('UpdateIAMAccessPreference').handler(
            { IamUserAccessToBilling: 'ALLOW' },
            ctx(principal('AllButBilling'), 'console'),
          ),
          { code: 'AccessDenied' },
        );
        await op('UpdateIAMAccessPreference').handler({ IamUserAccessToBilling: 'ALLOW' }, ctx(root, 'console'));
        assert.equal((await settings.get(ACCOUNT)).iamAccessToBilling, true);
      });

      it('reports page and button denials through CheckConsoleAccess', async () => {
        await settings.update(ACCOUNT, { iamAccessToBilling: true });
        const out = await op('CheckConsoleAccess').handler(
          { Page: 'billing-preferences', Buttons: ['save-preferences'] },
          ctx(principal('FinanceUser'), 'console'),
        );
        assert.equal(out.Allowed, true);
        const buttons = out.ButtonDenials as Record<string, { Kind: string; Message: string }>;
        assert.equal(buttons['save-preferences']?.Kind, 'ACTION');
      });
    });

    describe('console gates on billing data operations', () => {
      const costAndUsage: AnyOperation = {
        service: 'ce',
        name: 'GetCostAndUsage',
        access: () => [{ action: 'ce:GetCostAndUsage', resource: '*' }],
        mutates: false,
        handler: async () => ({ ResultsByTime: [] }),
      };
      const ctx = (caller: Caller, via: RequestFacts['via']) => ({ caller, facts: facts(via), services: {} });

      it('keeps the API asking for ce:GetCostAndUsage', () => {
        const [wrapped] = withConsoleGates([costAndUsage], gate);
        assert.deepEqual(wrapped!.access({}, ctx(principal('FinanceUser'), 'json')), [
          { action: 'ce:GetCostAndUsage', resource: '*' },
        ]);
        assert.equal(wrapped!.access({}, ctx(principal('FinanceUser'), 'console')), null);
      });

      it("lets FinanceUser's console see costs with aws-portal:ViewBilling, once IAM access is on", async () => {
        const [wrapped] = withConsoleGates([costAndUsage], gate);
        await assert.rejects(wrapped!.handler({}, ctx(principal('FinanceUser'), 'console')), { code: 'AccessDenied' });
        await settings.update(ACCOUNT, { iamAccessToBilling: true });
        assert.deepEqual(await wrapped!.handler({}, ctx(principal('FinanceUser'), 'console')), { ResultsByTime: [] });
        await assert.rejects(wrapped!.handler({}, ctx(principal('NoPolicy'), 'console')), { code: 'AccessDenied' });
      });

      it('leaves operations without a console page alone', () => {
        const other = { ...costAndUsage, service: 'iam', name: 'ListUsers' };
        assert.equal(withConsoleGates([other], gate)[0], other);
      });
    });
  });
}
