/**
 * Cost allocation tags through the real Cost Explorer SDK client against a server started here: the tag keys
 * of the account's cost data, Active/Inactive per account, AWS's filters, paging, partial-failure Errors and
 * validation; authorization from the API (`ce:*CostAllocationTag*`) and from the console (the Cost allocation
 * tags page and its Activate button, in both vocabularies); a member account is refused as in AWS.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetTagsCommand,
  ListCostAllocationTagsCommand,
  UpdateCostAllocationTagsStatusCommand,
  type GetCostAndUsageCommandInput,
  type ListCostAllocationTagsCommandInput,
} from '@aws-sdk/client-cost-explorer';
import { moneyFromDecimal } from '../../src/billing/money.js';
import { clientConfig } from '../compat/harness.js';
import { refusal, startBillingWorld, type BillingWorld } from './billing-world.js';

/** The SDK's error: its name (AWS's code) and message. */
const sdkError = (name: string | RegExp, message?: RegExp) => (error: Error) => {
  if (typeof name === 'string') assert.equal(error.name, name, error.message);
  else assert.match(error.name, name, error.message);
  if (message !== undefined) assert.match(error.message, message);
  return true;
};

describe('Cost allocation tags through the AWS SDK', () => {
  let world: BillingWorld;
  let ce: CostExplorerClient;

  before(async () => {
    world = await startBillingWorld('cost-allocation-tags');
    ce = new CostExplorerClient(clientConfig(world.server));
  });
  after(async () => {
    ce.destroy();
    await world.server.close();
  });

  const list = async (input: ListCostAllocationTagsCommandInput = {}) =>
    (await ce.send(new ListCostAllocationTagsCommand(input))).CostAllocationTags!.map((t) => [
      t.TagKey,
      t.Type,
      t.Status,
    ]);
  const update = async (entries: Array<[string, 'Active' | 'Inactive']>) =>
    (
      await ce.send(
        new UpdateCostAllocationTagsStatusCommand({
          CostAllocationTagsStatus: entries.map(([TagKey, Status]) => ({ TagKey, Status })),
        }),
      )
    ).Errors;

  it('lists the tag keys of the cost data; the demo activated them; Inactive ones are absent from Cost Explorer', async () => {
    // seedDemoCosts activates the demo's keys, through the store UpdateCostAllocationTagsStatus writes.
    assert.deepEqual(await list(), [
      ['env', 'UserDefined', 'Active'],
      ['team', 'UserDefined', 'Active'],
    ]);
    assert.deepEqual(
      await update([
        ['env', 'Inactive'],
        ['team', 'Inactive'],
      ]),
      [],
    );
    assert.deepEqual(await list(), [
      ['env', 'UserDefined', 'Inactive'],
      ['team', 'UserDefined', 'Inactive'],
    ]);

    // The current month, whole: up to today would be an empty interval on the first of a month.
    const month = (offset: number) =>
      new Date(Date.UTC(world.now.getUTCFullYear(), world.now.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
    const TimePeriod = { Start: month(0), End: month(1) };
    const costs = async (input: Omit<GetCostAndUsageCommandInput, 'TimePeriod'>) =>
      (await ce.send(new GetCostAndUsageCommand({ TimePeriod, ...input }))).ResultsByTime!;
    const monthly = { Granularity: 'MONTHLY' as const, Metrics: ['UnblendedCost'] };
    const byTeam = async () =>
      (await costs({ ...monthly, GroupBy: [{ Type: 'TAG', Key: 'team' }] }))[0]!.Groups!.map((g) => [
        g.Keys![0]!,
        g.Metrics!.UnblendedCost!.Amount!,
      ]);
    const platformOnly = async () =>
      (await costs({ ...monthly, Filter: { Tags: { Key: 'team', Values: ['platform'] } } }))[0]!.Total!.UnblendedCost!
        .Amount!;
    const tags = async (TagKey?: string) =>
      (await ce.send(new GetTagsCommand({ TimePeriod, ...(TagKey === undefined ? {} : { TagKey }) }))).Tags!;
    const total = (await costs(monthly))[0]!.Total!.UnblendedCost!.Amount!;
    assert.notEqual(total, '0');

    // Inactive: every cost is in the "No tag key" group, a filter on the key's values keeps none, GetTags
    // lists neither the key nor its values.
    const inactive = [['team$', total]];
    assert.deepEqual(await byTeam(), inactive);
    assert.equal(Number(await platformOnly()), 0);
    assert.deepEqual(await tags(), []);
    assert.deepEqual(await tags('team'), []);

    assert.deepEqual(
      await update([
        ['team', 'Active'],
        ['nope', 'Active'],
      ]),
      [
        {
          TagKey: 'nope',
          Code: 'TagKeysNotFoundException',
          Message: 'Failed to update Cost Allocation Tag: The tag key was not found in the cost data.',
        },
      ],
    );
    assert.deepEqual(await list(), [
      ['env', 'UserDefined', 'Inactive'],
      ['team', 'UserDefined', 'Active'],
    ]);

    // Active: the demo's teams are groups that add up to the total, and GetTags lists the key and its values;
    // the other key stays absent. Activation applies to every period held, as if backfilled.
    const active = await byTeam();
    assert.deepEqual(
      active.map(([key]) => key),
      ['team$', 'team$data', 'team$ml', 'team$payments', 'team$platform', 'team$web'],
    );
    // Exactly, in money units: rounding each group to the cent first can miss the total by a cent.
    assert.equal(
      active.reduce((sum, [, amount]) => sum + moneyFromDecimal(amount!), 0n),
      moneyFromDecimal(total),
    );
    assert.equal(await platformOnly(), active.find(([key]) => key === 'team$platform')![1]);
    assert.deepEqual(await tags(), ['team']);
    // The untagged cost's empty value is listed too, as Bursar's GetTags did before activation applied.
    assert.deepEqual(await tags('team'), ['', 'data', 'ml', 'payments', 'platform', 'web']);
    assert.deepEqual(await tags('env'), []);
    // The management account's activation is the organization's: a member sees its own costs by team too.
    const asMember = (operation: string, input: object) =>
      world.invoke(world.rootOf(world.member), 'json', 'ce', operation, { TimePeriod, ...input }) as Promise<{
        ResultsByTime?: Array<{ Groups?: Array<{ Keys?: string[] }> }>;
        Tags?: string[];
      }>;
    const memberGroups = await asMember('GetCostAndUsage', { ...monthly, GroupBy: [{ Type: 'TAG', Key: 'team' }] });
    assert.ok(memberGroups.ResultsByTime![0]!.Groups!.some((g) => g.Keys![0] === 'team$platform'));
    assert.deepEqual((await asMember('GetTags', {})).Tags, ['team']);
    // Activating an active tag is no error and no change.
    assert.deepEqual(await update([['team', 'Active']]), []);
    assert.deepEqual(await byTeam(), active);

    // Inactive again: absent again.
    assert.deepEqual(await update([['team', 'Inactive']]), []);
    assert.deepEqual(await byTeam(), inactive);
    assert.deepEqual(await tags(), []);
    assert.deepEqual(await tags('team'), []);

    // The tests below start from `team` Active and `env` Inactive.
    assert.deepEqual(await update([['team', 'Active']]), []);
  });

  it('filters by status, type and keys, and pages with NextToken', async () => {
    assert.deepEqual(await list({ Status: 'Active' }), [['team', 'UserDefined', 'Active']]);
    assert.deepEqual(await list({ Status: 'Inactive' }), [['env', 'UserDefined', 'Inactive']]);
    assert.deepEqual(await list({ Type: 'AWSGenerated' }), []);
    assert.deepEqual(await list({ TagKeys: ['env', 'missing'] }), [['env', 'UserDefined', 'Inactive']]);

    const first = await ce.send(new ListCostAllocationTagsCommand({ MaxResults: 1 }));
    assert.deepEqual(
      first.CostAllocationTags!.map((t) => t.TagKey),
      ['env'],
    );
    assert.ok(first.NextToken);
    const second = await ce.send(new ListCostAllocationTagsCommand({ MaxResults: 1, NextToken: first.NextToken }));
    assert.deepEqual(
      second.CostAllocationTags!.map((t) => t.TagKey),
      ['team'],
    );
    assert.equal(second.NextToken, undefined);
    await assert.rejects(
      ce.send(new ListCostAllocationTagsCommand({ NextToken: 'not-a-token' })),
      sdkError('InvalidNextTokenException'),
    );
  });

  it("validates requests against AWS's model", async () => {
    await assert.rejects(update([]), sdkError('ValidationException'));
    const many = Array.from({ length: 21 }, (_, i): [string, 'Active'] => [`k${i}`, 'Active']);
    await assert.rejects(update(many), sdkError('ValidationException'));
    await assert.rejects(
      ce.send(
        new UpdateCostAllocationTagsStatusCommand({
          CostAllocationTagsStatus: [{ TagKey: 'team', Status: 'Enabled' as 'Active' }],
        }),
      ),
      sdkError('ValidationException'),
    );
    await assert.rejects(
      ce.send(new ListCostAllocationTagsCommand({ MaxResults: 1001 })),
      sdkError('ValidationException'),
    );
    assert.deepEqual(await update([['team', 'Inactive']]), []);
    assert.deepEqual(await list({ Status: 'Active' }), []);
  });

  it('asks ce:ListCostAllocationTags and ce:UpdateCostAllocationTagsStatus from the API; a member account is refused', async () => {
    const reader = await world.userWith('TagReader', ['ce:ListCostAllocationTags']);
    const readerCe = new CostExplorerClient(clientConfig(world.server, reader.key));
    try {
      assert.equal((await readerCe.send(new ListCostAllocationTagsCommand({}))).CostAllocationTags!.length, 2);
      await assert.rejects(
        readerCe.send(
          new UpdateCostAllocationTagsStatusCommand({
            CostAllocationTagsStatus: [{ TagKey: 'env', Status: 'Active' }],
          }),
        ),
        // AWS answers AccessDeniedException; Bursar's Cost Explorer model has no such shape, so the wire says
        // AccessDenied (the codec's concern, shared by every Cost Explorer operation).
        sdkError(
          /^AccessDenied(Exception)?$/,
          /not authorized to perform: ce:UpdateCostAllocationTagsStatus on resource: \*/,
        ),
      );
    } finally {
      readerCe.destroy();
    }
    await assert.rejects(
      world.invoke(world.rootOf(world.member), 'json', 'ce', 'UpdateCostAllocationTagsStatus', {
        CostAllocationTagsStatus: [{ TagKey: 'env', Status: 'Active' }],
      }),
      refusal(
        'AccessDeniedException',
        "Failed to update Cost Allocation Tag: Linked account doesn't have access to cost allocation tags.",
      ),
    );
  });

  it('from the console answers to the Cost allocation tags page and its Activate button, in both vocabularies', async () => {
    const financeUser = await world.userWith('FinanceUser', ['aws-portal:View*']);
    const fineGrained = await world.userWith('TagViewer', [
      'account:GetAccountInformation',
      'ce:ListCostAllocationTags',
      'consolidatedbilling:GetAccountBillingRole',
    ]);
    const activate = { CostAllocationTagsStatus: [{ TagKey: 'env', Status: 'Active' }] };

    await world.consoleSettings('EXISTING');
    await world.invoke(financeUser.caller, 'console', 'ce', 'ListCostAllocationTags');
    await assert.rejects(
      world.invoke(financeUser.caller, 'console', 'ce', 'UpdateCostAllocationTagsStatus', activate),
      refusal(
        'AccessDenied',
        'You need ModifyBilling permissions to make changes to this page. Contact your AWS administrator if you need help.',
      ),
    );
    await assert.rejects(
      world.invoke(fineGrained.caller, 'console', 'ce', 'ListCostAllocationTags'),
      refusal('AccessDenied', /^You Need Permissions: /),
    );

    await world.consoleSettings('FINE_GRAINED');
    await world.invoke(fineGrained.caller, 'console', 'ce', 'ListCostAllocationTags');
    await assert.rejects(
      world.invoke(fineGrained.caller, 'console', 'ce', 'UpdateCostAllocationTagsStatus', activate),
      refusal(
        'AccessDenied',
        'You need ce:UpdateCostAllocationTagsStatus permissions to make changes to this page. Contact your AWS administrator if you need help.',
      ),
    );
    await world.invoke(world.root, 'console', 'ce', 'UpdateCostAllocationTagsStatus', activate);
    assert.deepEqual(await list({ Status: 'Active' }), [['env', 'UserDefined', 'Active']]);
  });
});
