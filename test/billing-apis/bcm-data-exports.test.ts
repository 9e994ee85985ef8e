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
  GetExportCommand,
  ListExportsCommand,
  type Export,
} from '@aws-sdk/client-bcm-data-exports';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { seededIdSource } from '../../src/platform/ids.js';
import { ACCOUNT_ID, clientConfig, startServer, rejectsWith } from '../compat/harness.js';

const EXPORT: Export = {
  Name: 'focus-daily',
  Description: 'FOCUS for the finance team',
  DataQuery: { QueryStatement: 'SELECT billed_cost, service_name FROM FOCUS_1_0_AWS' },
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
});
