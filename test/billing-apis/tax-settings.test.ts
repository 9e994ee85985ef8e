/**
 * The Tax Settings API (restJson1, signing name `tax`) through the real AWS CLI against a server started
 * here. No @aws-sdk/client-taxsettings is published to the registry this project installs from, so the
 * client is the AWS CLI v1 of the machine's Python (its botocore has `taxsettings`); the suite is skipped
 * where that CLI is missing. The console reads the same registrations through invoke().
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { BursarServer } from '../../src/server/create-server.js';
import { systemClock } from '../../src/platform/clock.js';
import { ACCOUNT_ID, ROOT_KEY, clientConfig, startServer } from '../compat/harness.js';

const run = promisify(execFile);

/** Whether `python3 -m awscli` exists and its botocore knows the Tax Settings service. */
async function taxCliMissing(): Promise<string | false> {
  try {
    await run('python3', [
      '-c',
      "import awscli, botocore.session; botocore.session.get_session().get_service_model('taxsettings')",
    ]);
    return false;
  } catch {
    return 'no AWS CLI with the taxsettings service (python3 -m awscli) on this machine';
  }
}

const ENTRY = {
  registrationId: 'DE123456789',
  registrationType: 'VAT',
  legalName: 'Example GmbH',
  legalAddress: {
    addressLine1: 'Hauptstr. 1',
    city: 'Berlin',
    postalCode: '10115',
    countryCode: 'DE',
    stateOrRegion: 'Berlin',
  },
};

/** The CLI's failure: the AWS error code and message it printed. */
interface CliError {
  code: string;
  message: string;
}

describe('Tax Settings API through the AWS CLI', { skip: await taxCliMissing() }, () => {
  let server: BursarServer;
  let member: string;

  before(async () => {
    // The AWS CLI signs by the machine's clock and cannot be told otherwise: the server keeps that clock
    // whatever BURSAR_TEST_CLOCK_SHIFT_DAYS says.
    server = await startServer({ clock: systemClock });
    const organizations = new OrganizationsClient(clientConfig(server));
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await organizations.send(
      new CreateAccountCommand({ Email: 'member@compat.example', AccountName: 'Member' }),
    );
    member = created.CreateAccountStatus!.AccountId!;
  });
  after(async () => {
    await server.close();
  });

  async function tax(
    args: string[],
    key: { accessKeyId: string; secretAccessKey: string } = ROOT_KEY,
  ): Promise<Record<string, unknown>> {
    const { stdout } = await run(
      'python3',
      ['-m', 'awscli', '--endpoint-url', server.url, '--output', 'json', 'taxsettings', ...args],
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_ACCESS_KEY_ID: key.accessKeyId,
          AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_PAGER: '',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_MAX_ATTEMPTS: '1',
        },
      },
    );
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  }

  async function failure(args: string[], key?: { accessKeyId: string; secretAccessKey: string }): Promise<CliError> {
    try {
      await tax(args, key);
    } catch (error) {
      const match = /An error occurred \((\w+)\) when calling the \w+ operation: (.*)/.exec(
        (error as { stderr: string }).stderr,
      );
      assert.ok(match, (error as { stderr: string }).stderr);
      return { code: match[1]!, message: match[2]!.trim() };
    }
    assert.fail(`taxsettings ${args[0]} succeeded`);
  }

  it('puts, gets and lists the registration; the console reads the same one', async () => {
    assert.deepEqual(await failure(['get-tax-registration']), {
      code: 'ResourceNotFoundException',
      message: `No tax registration found for account ${ACCOUNT_ID}.`,
    });
    assert.deepEqual(await tax(['put-tax-registration', '--tax-registration-entry', JSON.stringify(ENTRY)]), {
      status: 'Verified',
    });
    assert.deepEqual(await tax(['get-tax-registration']), { taxRegistration: { ...ENTRY, status: 'Verified' } });
    const { legalAddress: _address, ...listed } = ENTRY;
    const expectedList = {
      accountDetails: [
        {
          accountId: ACCOUNT_ID,
          taxRegistration: {
            ...listed,
            status: 'Verified',
            jurisdiction: { countryCode: 'DE', stateOrRegion: 'Berlin' },
          },
        },
      ],
    };
    assert.deepEqual(await tax(['list-tax-registrations']), expectedList);

    const world = server.world();
    const root = {
      kind: 'root' as const,
      accountId: ACCOUNT_ID,
      arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
      userId: ACCOUNT_ID,
    };
    const facts = {
      requestId: 'console',
      sourceIp: '127.0.0.1',
      userAgent: 'test',
      now: systemClock.now(),
      via: 'console' as const,
    };
    assert.deepEqual(await world.invoke(root, facts, 'tax', 'ListTaxRegistrations', {}), expectedList);
  });

  it("refuses what AWS's model refuses, in the model's error shape", async () => {
    const invalid = await failure([
      'put-tax-registration',
      '--tax-registration-entry',
      JSON.stringify({ ...ENTRY, registrationType: 'ABN' }),
    ]);
    assert.equal(invalid.code, 'ValidationException');
    assert.match(
      invalid.message,
      /Value 'ABN' at 'taxRegistrationEntry.registrationType' failed to satisfy constraint/,
    );
    const stranger = await failure(['get-tax-registration', '--account-id', '999999999999']);
    assert.equal(stranger.code, 'ValidationException');
  });

  it('a management account acts on its members, one by one and in batches', async () => {
    const batch = await tax([
      'batch-put-tax-registration',
      '--account-ids',
      member,
      '999999999999',
      '--tax-registration-entry',
      JSON.stringify({ ...ENTRY, registrationId: 'DE987654321' }),
    ]);
    assert.equal(batch.status, 'Verified');
    assert.deepEqual(
      (batch.errors as Array<{ accountId: string; code: string }>).map((e) => [e.accountId, e.code]),
      [['999999999999', 'ValidationException']],
    );
    const got = (await tax(['get-tax-registration', '--account-id', member])) as {
      taxRegistration: { registrationId: string };
    };
    assert.equal(got.taxRegistration.registrationId, 'DE987654321');
    const listed = (await tax(['list-tax-registrations', '--max-results', '1'])) as {
      accountDetails: Array<{ accountId: string }>;
      nextToken?: string;
    };
    assert.equal(listed.accountDetails.length, 1);
    assert.ok(listed.nextToken !== undefined);

    const deleted = await tax(['batch-delete-tax-registration', '--account-ids', member, ACCOUNT_ID]);
    assert.deepEqual(deleted, { errors: [] });
    assert.deepEqual(await tax(['list-tax-registrations']), { accountDetails: [] });
  });

  it('an IAM user without a tax: permission is refused as AccessDeniedException', async () => {
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'NoPolicy' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'NoPolicy' }));
    const denied = await failure(['list-tax-registrations'], {
      accessKeyId: AccessKey!.AccessKeyId!,
      secretAccessKey: AccessKey!.SecretAccessKey!,
    });
    assert.equal(denied.code, 'AccessDeniedException');
    assert.match(denied.message, /is not authorized to perform: tax:ListTaxRegistrations on resource: \*/);
  });
});
