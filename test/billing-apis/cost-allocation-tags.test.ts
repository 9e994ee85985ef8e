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
  ListCostAllocationTagsCommand,
  UpdateCostAllocationTagsStatusCommand,
  type ListCostAllocationTagsCommandInput,
} from '@aws-sdk/client-cost-explorer';
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

  it('lists the tag keys of the cost data, Inactive until activated; activation does not change Cost Explorer', async () => {
    assert.deepEqual(await list(), [
      ['env', 'UserDefined', 'Inactive'],
      ['team', 'UserDefined', 'Inactive'],
    ]);
    // The current month, whole: up to today would be an empty interval on the first of a month.
    const month = (offset: number) =>
      new Date(Date.UTC(world.now.getUTCFullYear(), world.now.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
    const byTeam = () =>
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: month(0), End: month(1) },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'TAG', Key: 'team' }],
        }),
      );
    const before = (await byTeam()).ResultsByTime;

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
    // Activating an active tag is no error and no change.
    assert.deepEqual(await update([['team', 'Active']]), []);
    assert.deepEqual((await byTeam()).ResultsByTime, before);
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
