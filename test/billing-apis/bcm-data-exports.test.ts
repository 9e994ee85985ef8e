/**
 * BCM Data Exports (JSON 1.1, `AWSBillingAndCostManagementDataExports`, signing name `bcm-data-exports`)
 * through @aws-sdk/client-bcm-data-exports against a server started here: an export created, read back,
 * listed and deleted, the service's refusals and IAM's in the model's error shapes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BCMDataExportsClient,
  CreateExportCommand,
  DeleteExportCommand,
  GetExecutionCommand,
  GetExportCommand,
  ListExecutionsCommand,
  ListExportsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateExportCommand,
  type Export,
} from '@aws-sdk/client-bcm-data-exports';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { seededIdSource } from '../../src/platform/ids.js';
import { ACCOUNT_ID, clientConfig, startServer, rejectsWith } from '../compat/harness.js';

const EXPORT: Export = {
  Name: 'focus-daily',
  Description: 'FOCUS for the finance team',
  DataQuery: { QueryStatement: 'SELECT BilledCost, ServiceName FROM FOCUS_1_0_AWS' },
  DestinationConfigurations: {
    S3Destination: {
      S3Bucket: 'example-exports',
      S3Prefix: 'focus',
      S3Region: 'us-east-1',
      S3OutputConfigurations: {
        OutputType: 'CUSTOM',
        Format: 'TEXT_OR_CSV',
        Compression: 'GZIP',
        Overwrite: 'CREATE_NEW_REPORT',
      },
    },
  },
  RefreshCadence: { Frequency: 'SYNCHRONOUS' },
};

describe('export ids', () => {
  it('come from the server’s id source: the same seed makes the same export ARN', async () => {
    const arns: string[] = [];
    for (let run = 0; run < 2; run++) {
      const seeded = await startServer({ ids: seededIdSource('export ids') });
      const client = new BCMDataExportsClient(clientConfig(seeded));
      try {
        arns.push((await client.send(new CreateExportCommand({ Export: EXPORT }))).ExportArn!);
      } finally {
        client.destroy();
        await seeded.close();
      }
    }
    assert.match(arns[0]!, /export\/focus-daily-[0-9a-f-]{36}$/);
    assert.equal(arns[1], arns[0]);
  });
});

describe('BCM Data Exports through @aws-sdk/client-bcm-data-exports', () => {
  let server: BursarServer;
  let exports: BCMDataExportsClient;

  before(async () => {
    server = await startServer();
    exports = new BCMDataExportsClient(clientConfig(server));
  });
  after(async () => {
    exports.destroy();
    await server.close();
  });

  it('creates, reads, lists and deletes an export', async () => {
    const { ExportArn } = await exports.send(new CreateExportCommand({ Export: EXPORT }));
    assert.match(
      ExportArn!,
      new RegExp(`^arn:aws:bcm-data-exports:us-east-1:${ACCOUNT_ID}:export/focus-daily-[0-9a-f-]{36}$`),
    );
    const got = await exports.send(new GetExportCommand({ ExportArn }));
    assert.deepEqual(got.Export, { ...EXPORT, ExportArn });
    assert.equal(got.ExportStatus!.StatusCode, 'HEALTHY');
    assert.ok(got.ExportStatus!.CreatedAt instanceof Date);

    await exports.send(new CreateExportCommand({ Export: { ...EXPORT, Name: 'cur-monthly' } }));
    const first = await exports.send(new ListExportsCommand({ MaxResults: 1 }));
    assert.deepEqual(
      first.Exports!.map((e) => e.ExportName),
      ['cur-monthly'],
    );
    const second = await exports.send(new ListExportsCommand({ MaxResults: 1, NextToken: first.NextToken }));
    assert.deepEqual(
      second.Exports!.map((e) => [e.ExportName, e.ExportArn]),
      [['focus-daily', ExportArn]],
    );
    assert.equal(second.NextToken, undefined);

    assert.deepEqual((await exports.send(new DeleteExportCommand({ ExportArn }))).ExportArn, ExportArn);
    await rejectsWith(exports.send(new GetExportCommand({ ExportArn })), 'ResourceNotFoundException', 404);
  });

  it("refuses what the service and IAM refuse, in the model's shapes", async () => {
    await rejectsWith(
      exports.send(new CreateExportCommand({ Export: { ...EXPORT, Name: 'cur-monthly' } })),
      'ValidationException',
      400,
      /already exists/,
    );
    await rejectsWith(
      exports.send(
        new CreateExportCommand({
          Export: { ...EXPORT, Name: 'bad-table', DataQuery: { QueryStatement: 'SELECT * FROM SOMETHING_ELSE' } },
        }),
      ),
      'ValidationException',
      400,
      /one of the tables/,
    );
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'NoPolicy' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'NoPolicy' }));
    iam.destroy();
    const denied = new BCMDataExportsClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    await rejectsWith(
      denied.send(new ListExportsCommand({})),
      'AccessDeniedException',
      403,
      /not authorized to perform: bcm-data-exports:ListExports on resource: \*/,
    );
    denied.destroy();
  });

  it('tags an export (ResourceTags at creation, Tag/Untag/ListTagsForResource), updates it, lists its executions', async () => {
    const { ExportArn } = await exports.send(
      new CreateExportCommand({
        Export: { ...EXPORT, Name: 'tagged' },
        ResourceTags: [{ Key: 'team', Value: 'finance' }],
      }),
    );
    await exports.send(
      new TagResourceCommand({
        ResourceArn: ExportArn,
        ResourceTags: [
          { Key: 'team', Value: 'platform' },
          { Key: 'env', Value: 'ci' },
          { Key: 'cost-centre', Value: '42' },
        ],
      }),
    );
    const page = await exports.send(new ListTagsForResourceCommand({ ResourceArn: ExportArn, MaxResults: 2 }));
    assert.deepEqual(page.ResourceTags, [
      { Key: 'team', Value: 'platform' },
      { Key: 'env', Value: 'ci' },
    ]);
    const rest = await exports.send(
      new ListTagsForResourceCommand({ ResourceArn: ExportArn, MaxResults: 2, NextToken: page.NextToken }),
    );
    assert.deepEqual(rest.ResourceTags, [{ Key: 'cost-centre', Value: '42' }]);
    assert.equal(rest.NextToken, undefined);
    await exports.send(new UntagResourceCommand({ ResourceArn: ExportArn, ResourceTagKeys: ['env', 'absent'] }));
    assert.deepEqual((await exports.send(new ListTagsForResourceCommand({ ResourceArn: ExportArn }))).ResourceTags, [
      { Key: 'team', Value: 'platform' },
      { Key: 'cost-centre', Value: '42' },
    ]);

    const updated = {
      ...EXPORT,
      Name: 'tagged',
      Description: 'now monthly CUR',
      RefreshCadence: { Frequency: 'SYNCHRONOUS' as const },
    };
    assert.equal((await exports.send(new UpdateExportCommand({ ExportArn, Export: updated }))).ExportArn, ExportArn);
    assert.deepEqual((await exports.send(new GetExportCommand({ ExportArn }))).Export, { ...updated, ExportArn });
    await rejectsWith(
      exports.send(new UpdateExportCommand({ ExportArn, Export: { ...updated, Name: 'renamed' } })),
      'ValidationException',
      400,
      /name cannot be changed/,
    );
    await rejectsWith(
      exports.send(
        new UpdateExportCommand({
          ExportArn,
          Export: { ...updated, DataQuery: { QueryStatement: 'SELECT * FROM NOWHERE' } },
        }),
      ),
      'ValidationException',
      400,
      /one of the tables/,
    );

    // Created, then updated: two on-demand executions (with no cost data they deliver no period, successfully).
    await server.world().exportDeliveries.idle();
    assert.deepEqual(
      (await exports.send(new ListExecutionsCommand({ ExportArn }))).Executions!.map(
        (e) => e.ExecutionStatus!.StatusCode,
      ),
      ['DELIVERY_SUCCESS', 'DELIVERY_SUCCESS'],
    );
    await rejectsWith(
      exports.send(new GetExecutionCommand({ ExportArn, ExecutionId: 'nope' })),
      'ResourceNotFoundException',
      404,
    );
    const gone = `${ExportArn}-gone`;
    for (const call of [
      new ListTagsForResourceCommand({ ResourceArn: gone }),
      new TagResourceCommand({ ResourceArn: gone, ResourceTags: [{ Key: 'a', Value: 'b' }] }),
      new UntagResourceCommand({ ResourceArn: gone, ResourceTagKeys: ['a'] }),
      new UpdateExportCommand({ ExportArn: gone, Export: updated }),
      new ListExecutionsCommand({ ExportArn: gone }),
    ]) {
      await rejectsWith(exports.send(call as never), 'ResourceNotFoundException', 404, /was not found/);
    }
    await rejectsWith(
      exports.send(new ListTagsForResourceCommand({ ResourceArn: ExportArn, NextToken: 'x' })),
      'ValidationException',
      400,
    );
  });

  it('authorizes tagging on the export with aws:TagKeys and aws:RequestTag', async () => {
    const { ExportArn } = await exports.send(new CreateExportCommand({ Export: { ...EXPORT, Name: 'guarded' } }));
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'Tagger' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'Tagger',
        PolicyName: 'tag-team-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['bcm-data-exports:TagResource', 'bcm-data-exports:ListTagsForResource'],
              Resource: ExportArn,
              Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } },
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'Tagger' }));
    iam.destroy();
    const tagger = new BCMDataExportsClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    try {
      await tagger.send(
        new TagResourceCommand({ ResourceArn: ExportArn, ResourceTags: [{ Key: 'team', Value: 'x' }] }),
      );
      assert.deepEqual((await tagger.send(new ListTagsForResourceCommand({ ResourceArn: ExportArn }))).ResourceTags, [
        { Key: 'team', Value: 'x' },
      ]);
      await rejectsWith(
        tagger.send(new TagResourceCommand({ ResourceArn: ExportArn, ResourceTags: [{ Key: 'owner', Value: 'y' }] })),
        'AccessDeniedException',
        403,
        /bcm-data-exports:TagResource on resource: arn:aws:bcm-data-exports/,
      );
      await rejectsWith(
        tagger.send(new UntagResourceCommand({ ResourceArn: ExportArn, ResourceTagKeys: ['team'] })),
        'AccessDeniedException',
        403,
        /bcm-data-exports:UntagResource/,
      );
    } finally {
      tagger.destroy();
    }
  });
});
