/**
 * IAM's input refusals as a client sees them. The model's constraints (required members, lengths,
 * patterns, ranges, list sizes) are checked once, by invoke(), with AWS's `ValidationError` wording; the
 * rules the model cannot state (src/iam/validation.ts and the simulator) answer their own codes. Every
 * refusal leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListUsersCommand,
  SimulateCustomPolicyCommand,
  TagUserCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import type { BursarServer } from '../../src/server/create-server.js';
import { clientConfig, startServer } from '../compat/harness.js';

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

function refusal(name: string, message: string) {
  return (error: AwsError) => {
    assert.equal(error.name, name, error.message);
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.equal(error.message, message);
    return true;
  };
}

const constraint = (value: string, member: string, rule: string) =>
  `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must ${rule}`;

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('IAM input refusals through @aws-sdk/client-iam', () => {
  let server: BursarServer;
  let root: IAMClient;
  before(async () => {
    server = await startServer();
    root = new IAMClient(clientConfig(server));
  });
  after(async () => {
    await server.close();
  });

  it('refuses names and paths the model refuses, in its words', async () => {
    await assert.rejects(
      root.send(new CreateUserCommand({ UserName: 'has space' })),
      refusal(
        'ValidationError',
        constraint('has space', 'userName', 'satisfy regular expression pattern: [\\w+=,.@-]+'),
      ),
    );
    await assert.rejects(
      root.send(new CreateUserCommand({ UserName: 'x'.repeat(65) })),
      refusal('ValidationError', constraint('x'.repeat(65), 'userName', 'have length less than or equal to 64')),
    );
    await assert.rejects(
      root.send(new CreateGroupCommand({ GroupName: 'team', Path: 'no-slashes' })),
      refusal(
        'ValidationError',
        constraint(
          'no-slashes',
          'path',
          'satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)',
        ),
      ),
    );
    await root.send(new CreateUserCommand({ UserName: 'Finance.User+1@x=y,z-w', Path: '/division/team/' }));
    await assert.rejects(
      root.send(new UpdateUserCommand({ UserName: 'Finance.User+1@x=y,z-w', NewUserName: 'bad/name' })),
      refusal(
        'ValidationError',
        constraint('bad/name', 'newUserName', 'satisfy regular expression pattern: [\\w+=,.@-]+'),
      ),
    );
    const { Users } = await root.send(new ListUsersCommand({}));
    assert.deepEqual(
      Users!.map((u) => [u.UserName, u.Path]),
      [['Finance.User+1@x=y,z-w', '/division/team/']],
    );
  });

  it('refuses a role description, session duration or tag list the model refuses', async () => {
    await assert.rejects(
      root.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust, MaxSessionDuration: 100 })),
      refusal('ValidationError', constraint('100', 'maxSessionDuration', 'have value greater than or equal to 3600')),
    );
    await assert.rejects(
      root.send(
        new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust, Description: 'd'.repeat(1001) }),
      ),
      refusal('ValidationError', constraint('d'.repeat(1001), 'description', 'have length less than or equal to 1000')),
    );
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' }));
    await assert.rejects(root.send(new CreateUserCommand({ UserName: 'tagged', Tags: tags })), (error: AwsError) => {
      assert.equal(error.name, 'ValidationError');
      assert.match(
        error.message,
        /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
      );
      return true;
    });
  });

  it('answers the rules the model cannot state with their own codes', async () => {
    await root.send(new CreateUserCommand({ UserName: 'tagged' }));
    await assert.rejects(
      root.send(
        new TagUserCommand({
          UserName: 'tagged',
          Tags: [
            { Key: 'team', Value: 'a' },
            { Key: 'TEAM', Value: 'b' },
          ],
        }),
      ),
      refusal('InvalidInputException', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'),
    );
    await assert.rejects(
      root.send(new CreateAccountAliasCommand({ AccountAlias: 'ab' })),
      refusal('ValidationError', constraint('ab', 'accountAlias', 'have length greater than or equal to 3')),
    );
    await assert.rejects(
      root.send(new CreateAccountAliasCommand({ AccountAlias: 'dou--ble' })),
      refusal(
        'ValidationError',
        constraint(
          'dou--ble',
          'accountAlias',
          'satisfy regular expression pattern: ^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$',
        ),
      ),
    );
    await assert.rejects(
      root.send(new CreateAccountAliasCommand({ AccountAlias: '123456789012' })),
      refusal('InvalidInputException', 'The account alias cannot be a 12-digit number.'),
    );
    assert.deepEqual((await root.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
    await assert.rejects(
      root.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 200 })),
      refusal('ValidationError', constraint('200', 'minimumPasswordLength', 'have value less than or equal to 128')),
    );
    await assert.rejects(
      root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'm'.repeat(227) })),
      refusal(
        'ValidationError',
        constraint('m'.repeat(227), 'virtualMFADeviceName', 'have length less than or equal to 226'),
      ),
    );
    await assert.rejects(
      root.send(new SimulateCustomPolicyCommand({ PolicyInputList: [trust], ActionNames: [] })),
      refusal('InvalidInputException', 'ActionNames must contain at least one action.'),
    );
  });
});
