/**
 * The Cost and Usage Report Service API (JSON 1.1, `AWSOrigamiServiceGatewayService`, signing name `cur`)
 * through @aws-sdk/client-cost-and-usage-report-service against a server started here: report definitions
 * created, listed in pages, modified and deleted, the service's own refusals (duplicate names, the
 * five-report quota, format rules) and IAM's, each in the model's error shape. The tag operations, which
 * that client version predates, are checked through invoke() by the seed matrix.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CostAndUsageReportServiceClient,
  DeleteReportDefinitionCommand,
  DescribeReportDefinitionsCommand,
  ModifyReportDefinitionCommand,
  PutReportDefinitionCommand,
  type ReportDefinition,
} from '@aws-sdk/client-cost-and-usage-report-service';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, startServer, rejectsWith } from '../compat/harness.js';

/** The definition as listed, without the ReportStatus this client version's types do not name. */
type Listed = ReportDefinition & { ReportStatus?: { lastStatus?: string; lastDelivery?: string } };
const withoutStatus = (listed: Listed[] | undefined) => listed!.map(({ ReportStatus: _status, ...rest }) => rest);

const definition = (ReportName: string): ReportDefinition => ({
  ReportName,
  TimeUnit: 'DAILY',
  Format: 'textORcsv',
  Compression: 'GZIP',
  AdditionalSchemaElements: ['RESOURCES'],
  S3Bucket: 'example-billing-reports',
  S3Prefix: 'cur',
  S3Region: 'us-east-1',
  AdditionalArtifacts: ['REDSHIFT', 'QUICKSIGHT'],
  RefreshClosedReports: true,
  ReportVersioning: 'CREATE_NEW_REPORT',
});

describe('Cost and Usage Reports through @aws-sdk/client-cost-and-usage-report-service', () => {
  let server: BursarServer;
  let cur: CostAndUsageReportServiceClient;

  before(async () => {
    server = await startServer();
    cur = new CostAndUsageReportServiceClient(clientConfig(server));
  });
  after(async () => {
    cur.destroy();
    await server.close();
  });

  async function allNames(): Promise<string[]> {
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cur.send(new DescribeReportDefinitionsCommand({ NextToken }));
      assert.ok(page.ReportDefinitions!.length <= 5);
      names.push(...page.ReportDefinitions!.map((d) => d.ReportName!));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    return names;
  }

  it('creates, lists, modifies and deletes report definitions', async () => {
    assert.deepEqual((await cur.send(new DescribeReportDefinitionsCommand({}))).ReportDefinitions, []);
    await cur.send(new PutReportDefinitionCommand({ ReportDefinition: definition('daily-csv') }));
    // Putting a definition delivers its report (no cost data here: no period); the listing then says when.
    await server.world().exportDeliveries.idle();
    const listed: Listed[] = (await cur.send(new DescribeReportDefinitionsCommand({}))).ReportDefinitions!;
    assert.deepEqual(withoutStatus(listed), [definition('daily-csv')]);
    assert.equal(listed[0]!.ReportStatus!.lastStatus, 'SUCCESS');
    assert.match(listed[0]!.ReportStatus!.lastDelivery!, /^\d{8}T\d{6}Z$/);

    const athena: ReportDefinition = {
      ...definition('daily-csv'),
      TimeUnit: 'HOURLY',
      Format: 'Parquet',
      Compression: 'Parquet',
      AdditionalArtifacts: ['ATHENA'],
      ReportVersioning: 'OVERWRITE_REPORT',
    };
    await cur.send(new ModifyReportDefinitionCommand({ ReportName: 'daily-csv', ReportDefinition: athena }));
    await server.world().exportDeliveries.idle();
    assert.deepEqual(withoutStatus((await cur.send(new DescribeReportDefinitionsCommand({}))).ReportDefinitions), [
      athena,
    ]);

    await cur.send(new DeleteReportDefinitionCommand({ ReportName: 'daily-csv' }));
    assert.deepEqual(await allNames(), []);
  });

  it('refuses a duplicate name, a sixth report and combinations the service does not deliver', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await cur.send(new PutReportDefinitionCommand({ ReportDefinition: definition(name) }));
    }
    await rejectsWith(
      cur.send(new PutReportDefinitionCommand({ ReportDefinition: definition('c') })),
      'DuplicateReportNameException',
      400,
      /already exists/,
    );
    await rejectsWith(
      cur.send(new PutReportDefinitionCommand({ ReportDefinition: definition('f') })),
      'ReportLimitReachedException',
      400,
      /already has 5 reports defined/,
    );
    assert.deepEqual(await allNames(), ['a', 'b', 'c', 'd', 'e']);

    await cur.send(new DeleteReportDefinitionCommand({ ReportName: 'e' }));
    await rejectsWith(
      cur.send(
        new PutReportDefinitionCommand({
          ReportDefinition: { ...definition('parquet'), Format: 'Parquet', Compression: 'GZIP' },
        }),
      ),
      'ValidationException',
      400,
      /Compression GZIP is not supported for format Parquet/,
    );
    await rejectsWith(
      cur.send(
        new PutReportDefinitionCommand({ ReportDefinition: { ...definition('bad name!?'), ReportName: 'bad name' } }),
      ),
      'ValidationException',
      400,
      /reportDefinition\.reportName/,
    );
    await rejectsWith(
      cur.send(new DeleteReportDefinitionCommand({ ReportName: 'missing' })),
      'ValidationException',
      400,
      /Report missing does not exist/,
    );
  });

  it('authorizes each report by its ARN', async () => {
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'ReportOwner' }));
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'OneReport',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['cur:PutReportDefinition', 'cur:DeleteReportDefinition', 'cur:ModifyReportDefinition'],
              Resource: `arn:aws:cur:*:${ACCOUNT_ID}:definition/team-*`,
            },
            { Effect: 'Allow', Action: 'cur:DescribeReportDefinitions', Resource: '*' },
          ],
        }),
      }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'ReportOwner', PolicyArn: Policy!.Arn! }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ReportOwner' }));
    iam.destroy();
    const owner = new CostAndUsageReportServiceClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    await owner.send(new DescribeReportDefinitionsCommand({}));
    await owner.send(new PutReportDefinitionCommand({ ReportDefinition: definition('team-costs') }));
    await rejectsWith(
      owner.send(new DeleteReportDefinitionCommand({ ReportName: 'a' })),
      'AccessDeniedException',
      403,
      new RegExp(
        `not authorized to perform: cur:DeleteReportDefinition on resource: arn:aws:cur:us-east-1:${ACCOUNT_ID}:definition/a `,
      ),
    );
    owner.destroy();
  });
});
