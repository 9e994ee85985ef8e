/**
 * What the billing API suites share: an organization with one member and a year of demo costs on a server
 * from the compatibility harness, IAM users with one customer managed policy, and invoke() as root or a user
 * from the API side or the console side (with the account's console action set chosen).
 */
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { seedDemoCosts } from '../../src/billing/costs/demo-seed.js';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, startServer } from '../compat/harness.js';
import { testNow } from '../test-clock.js';

export interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface BillingWorld {
  server: BursarServer;
  member: string;
  /** The server's clock when the world was made: the demo year ends here, and invoke() runs at this time. */
  now: Date;
  root: Caller;
  rootOf: (accountId: string) => Caller;
  invoke: (
    caller: Caller,
    via: RequestFacts['via'],
    service: string,
    name: string,
    input?: Record<string, unknown>,
  ) => Promise<Record<string, unknown>>;
  /** An IAM user of the management account allowed `actions` on `*`, with an access key. */
  userWith: (name: string, actions: string[]) => Promise<{ key: Key; caller: Caller }>;
  /** The console action set, with IAM access to billing allowed. */
  consoleSettings: (set: 'EXISTING' | 'FINE_GRAINED') => Promise<void>;
}

export async function startBillingWorld(label: string): Promise<BillingWorld> {
  const now = testNow();
  const server = await startServer();
  const organizations = new OrganizationsClient(clientConfig(server));
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const created = await organizations.send(
    new CreateAccountCommand({ Email: 'member@compat.example', AccountName: 'Member' }),
  );
  organizations.destroy();
  const member = created.CreateAccountStatus!.AccountId!;
  await seedDemoCosts(server.world().billing, {
    payer: { id: ACCOUNT_ID, name: 'Management' },
    members: [{ id: member, name: 'Member' }],
    now,
    rows: 3000,
  });

  const rootOf = (accountId: string): Caller => ({
    kind: 'root',
    accountId,
    arn: `arn:aws:iam::${accountId}:root`,
    userId: accountId,
  });
  const root = rootOf(ACCOUNT_ID);
  let requests = 0;
  // Every request has its own id, as on the wire (a payment's id is its request's).
  const facts = (via: RequestFacts['via']): RequestFacts => ({
    requestId: `${label}-${++requests}`,
    sourceIp: '203.0.113.10',
    userAgent: `${label}-test`,
    now,
    via,
  });
  const invoke: BillingWorld['invoke'] = (caller, via, service, name, input = {}) =>
    server.world().invoke(caller, facts(via), service, name, input);

  async function userWith(name: string, actions: string[]): Promise<{ key: Key; caller: Caller }> {
    const iam = new IAMClient(clientConfig(server));
    try {
      const user = await iam.send(new CreateUserCommand({ UserName: name }));
      const policy = await iam.send(
        new CreatePolicyCommand({
          PolicyName: `${name}Policy`,
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
          }),
        }),
      );
      await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: policy.Policy!.Arn! }));
      const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
      return {
        key: { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! },
        caller: { kind: 'user', accountId: ACCOUNT_ID, arn: user.User!.Arn!, userId: user.User!.UserId!, name },
      };
    } finally {
      iam.destroy();
    }
  }

  const consoleSettings = async (set: 'EXISTING' | 'FINE_GRAINED') => {
    await invoke(root, 'json', 'aws-portal', 'UpdateConsoleActionSetEnforced', { ConsoleActionSet: set });
    await invoke(root, 'json', 'billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: 'ALLOW' });
  };

  return { server, member, now, root, rootOf, invoke, userWith, consoleSettings };
}

/** An assertion for assert.rejects: the ServiceError's code and its message (exact, or matching). */
export const refusal = (code: string, message: string | RegExp) => (error: Error & { code?: string }) => {
  if (error.code !== code) throw error;
  if (typeof message === 'string' ? error.message !== message : !message.test(error.message)) throw error;
  return true;
};
