import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { catalog } from '../../catalog/index.js';
import { AuditTrail } from '../../audit/trail.js';
import { createEvaluator, createInvoke, type Invoke } from '../invoke.js';
import { OperationRegistry } from '../registry.js';
import type { AnyOperation, Caller, RequestFacts } from '../../core/operation.js';
import { FixedClock } from '../../platform/clock.js';
import { seededIdSource } from '../../platform/ids.js';
import { silentLogger } from '../../platform/logger.js';
import type { EvaluationResult } from '../../policy/types.js';
import type { OpenedDatabase } from '../../store/database.js';
import { testDatabases } from '../../store/test-databases.js';
import {
  BillingConsoleGate,
  YOU_NEED_PERMISSIONS,
  YOU_NEED_PERMISSIONS_BODY,
} from '../../billing/console-gates/gate.js';
import { billingConsoleOperations } from './operations.js';
import { CONSOLE_PAGES } from '../../billing/console-gates/pages.js';
import { BillingConsoleSettingsStore } from '../../billing/console-gates/settings.js';
import type { Authority } from '../../core/access.js';

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
const answer = (decision: EvaluationResult['decision']): EvaluationResult => ({
  decision,
  explanation: '',
  matched: [],
  blockedBy: [],
  missingContextKeys: [],
});
/** A stand-in for principal resolution and the engine that records every question. */
const authority: Authority = {
  async evaluate(caller, request) {
    asked.push(request.action);
    if (caller.kind === 'root') return answer('Allowed');
    const p = POLICIES[caller.name!]!;
    if (p.deny?.some((d) => matches(d, request.action))) return answer('ExplicitlyDenied');
    return answer(p.allow.some((a) => matches(a, request.action)) ? 'Allowed' : 'ImplicitlyDenied');
  },
};

const costAndUsage: AnyOperation = {
  service: 'ce',
  name: 'GetCostAndUsage',
  access: () => [{ action: 'ce:GetCostAndUsage', resource: '*' }],
  mutates: false,
  handler: async () => ({ ResultsByTime: [] }),
};

for (const database of await testDatabases()) {
  describe(`billing console gate (${database.label})`, { skip: database.skip }, () => {
    let opened: OpenedDatabase;
    let settings: BillingConsoleSettingsStore;
    let gate: BillingConsoleGate;
    let invoke: Invoke;
    let audit: AuditTrail;

    before(async () => {
      opened = await database.open();
    });
    after(async () => opened.close());
    beforeEach(async () => {
      await opened.db.deleteFrom('billing_console_settings').execute();
      // Each test's trail starts the same id sequence; its events are written in the change's transaction.
      await opened.db.deleteFrom('audit_events').execute();
      settings = new BillingConsoleSettingsStore(opened.db, new FixedClock('2026-11-27T12:00:00Z'), {
        // No organization here: every account is a standalone sign-up.
        createdWithIamAccessToBilling: async () => false,
      });
      gate = new BillingConsoleGate({
        settings,
        evaluate: createEvaluator(authority, 'us-east-1'),
        expandAction: (p) => catalog().expandAction(p),
      });
      audit = new AuditTrail(opened.db, seededIdSource('gate'), silentLogger);
      invoke = createInvoke({
        registry: new OperationRegistry().register(...billingConsoleOperations, costAndUsage),
        services: { billingConsoleSettings: settings, billingConsoleGate: gate },
        authority,
        audit,
        models: {},
        logger: silentLogger,
        accountRules: [gate.rule],
      });
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

    describe('through invoke()', () => {
      it('asks API callers for the billing action, console callers for the page in the action set', async () => {
        await settings.update(ACCOUNT, { iamAccessToBilling: true });
        await invoke(principal('FinanceManager'), facts('console'), 'billing', 'UpdateBillingPreferences', {});
        assert.deepEqual(asked, ['aws-portal:ViewBilling', 'aws-portal:ModifyBilling']);
        asked.length = 0;
        await assert.rejects(
          invoke(principal('FinanceManager'), facts('json'), 'billing', 'UpdateBillingPreferences', {}),
          { code: 'AccessDenied' },
        );
        assert.deepEqual(asked, ['billing:UpdateBillingPreferences']);
      });

      it("refuses FinanceUser's Save preferences from the console with AccessDenied naming ModifyBilling", async () => {
        await settings.update(ACCOUNT, { iamAccessToBilling: true });
        const save = (name: string) =>
          invoke(principal(name), facts('console'), 'billing', 'UpdateBillingPreferences', {
            InvoiceDeliveryByEmail: true,
          });
        await assert.rejects(
          save('FinanceUser'),
          (e: { code: string; status: number; message: string }) =>
            e.code === 'AccessDenied' && e.status === 403 && /^You need ModifyBilling permissions/.test(e.message),
        );
        assert.equal((await save('FinanceManager')).InvoiceDeliveryByEmail, true);
      });

      it('refuses every IAM identity while the switch is off, before asking the engine; never root', async () => {
        asked.length = 0;
        await assert.rejects(
          invoke(principal('FinanceManager'), facts('console'), 'billing', 'GetBillingPreferences', {}),
          { code: 'AccessDenied', message: `${YOU_NEED_PERMISSIONS}: ${YOU_NEED_PERMISSIONS_BODY}` },
        );
        assert.deepEqual(asked, []);
        await invoke(root, facts('console'), 'billing', 'GetBillingPreferences', {});
      });

      it('lets only the root user switch IAM access on, after the policies', async () => {
        await assert.rejects(
          invoke(principal('AllButBilling'), facts('console'), 'billing', 'UpdateIAMAccessPreference', {
            IamUserAccessToBilling: 'ALLOW',
          }),
          {
            code: 'AccessDenied',
            message: 'Only the AWS account root user can change IAM user and role access to billing information.',
          },
        );
        assert.equal((await settings.get(ACCOUNT)).iamAccessToBilling, false);
        await invoke(root, facts('console'), 'billing', 'UpdateIAMAccessPreference', {
          IamUserAccessToBilling: 'ALLOW',
        });
        assert.equal((await settings.get(ACCOUNT)).iamAccessToBilling, true);
      });

      it('reports page and button denials through CheckConsoleAccess', async () => {
        await settings.update(ACCOUNT, { iamAccessToBilling: true });
        const out = await invoke(principal('FinanceUser'), facts('console'), 'bursar', 'CheckConsoleAccess', {
          Page: 'billing-preferences',
          Buttons: ['save-preferences'],
        });
        assert.equal(out.Allowed, true);
        const buttons = out.ButtonDenials as Record<string, { Kind: string; Message: string }>;
        assert.equal(buttons['save-preferences']?.Kind, 'ACTION');
      });

      it('answers a console call of a billing data operation with its page: FinanceUser sees costs with ViewBilling', async () => {
        await assert.rejects(invoke(principal('FinanceUser'), facts('console'), 'ce', 'GetCostAndUsage', {}), {
          code: 'AccessDenied',
        });
        await settings.update(ACCOUNT, { iamAccessToBilling: true });
        asked.length = 0;
        assert.deepEqual(await invoke(principal('FinanceUser'), facts('console'), 'ce', 'GetCostAndUsage', {}), {
          ResultsByTime: [],
        });
        assert.deepEqual(asked, ['aws-portal:ViewBilling']);
        await assert.rejects(invoke(principal('NoPolicy'), facts('console'), 'ce', 'GetCostAndUsage', {}), {
          code: 'AccessDenied',
        });
        asked.length = 0;
        await assert.rejects(invoke(principal('FinanceUser'), facts('json'), 'ce', 'GetCostAndUsage', {}), {
          code: 'AccessDenied',
        });
        assert.deepEqual(asked, ['ce:GetCostAndUsage']);
      });

      it('leaves console calls of operations without a console page to their own actions', async () => {
        await settings.update(ACCOUNT, { iamAccessToBilling: true });
        asked.length = 0;
        await assert.rejects(
          invoke(principal('FinanceUser'), facts('console'), 'aws-portal', 'UpdateConsoleActionSetEnforced', {
            ConsoleActionSet: 'FINE_GRAINED',
          }),
          { code: 'AccessDenied' },
        );
        assert.deepEqual(asked, ['aws-portal:UpdateConsoleActionSetEnforced']);
      });
    });
  });
}
