/**
 * Encoded authorization messages: a policy denial carries one (the `x-bursar-encoded-authorization-message`
 * header, AWS's error body unchanged); STS DecodeAuthorizationMessage, allowed `sts:DecodeAuthorizationMessage`,
 * answers AWS's DecodedMessage JSON for it in the same account, and refuses a tampered, forged or foreign one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as CE from '@aws-sdk/client-cost-explorer';
import * as I from '@aws-sdk/client-iam';
import * as S from '@aws-sdk/client-sts';
import type { BursarServer } from '../../src/server/create-server.js';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/platform/secrets.js';
import { AuthorizationMessages } from '../../src/operations/authorization-messages.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

const HEADER = 'x-bursar-encoded-authorization-message';
/** The server's master key, so that the test can seal a message as the server would. */
const MASTER_KEY = randomBytes(32);

/** The encoded message of a refused call. */
async function encodedMessageOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const e = error as Error & { $response?: { headers: Record<string, string> } };
    assert.match(e.name, /^AccessDenied/);
    const message = e.$response?.headers[HEADER];
    assert.ok(message !== undefined && message !== '', 'the denial carries an encoded message');
    return message;
  }
  throw new Error('the call was allowed');
}

interface Decoded {
  allowed: boolean;
  explicitDeny: boolean;
  matchedStatements: { items: Array<{ statementId: string; effect: string }> };
  failures: { items: unknown[] };
  context: {
    principal: { id: string; name?: string; arn: string };
    action: string;
    resource: string;
    conditions: { items: Array<{ key: string; values: { items: Array<{ value: string }> } }> };
  };
}

describe('STS DecodeAuthorizationMessage', () => {
  let server: BursarServer;
  let rootSts: S.STSClient;
  let viewerKeys: { accessKeyId: string; secretAccessKey: string };
  before(async () => {
    server = await startServer({ server: { masterKey: MASTER_KEY.toString('base64') } });
    const iam = new I.IAMClient(clientConfig(server));
    await iam.send(new I.CreateUserCommand({ UserName: 'Viewer' }));
    await iam.send(
      new I.PutUserPolicyCommand({
        UserName: 'Viewer',
        PolicyName: 'view',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
            { Sid: 'NoListing', Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new I.CreateAccessKeyCommand({ UserName: 'Viewer' }));
    viewerKeys = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    rootSts = new S.STSClient(clientConfig(server));
  });
  after(async () => server?.close());

  const decode = async (EncodedMessage: string): Promise<Decoded> =>
    JSON.parse(
      (await rootSts.send(new S.DecodeAuthorizationMessageCommand({ EncodedMessage }))).DecodedMessage!,
    ) as Decoded;

  it('decodes an explicit denial: the deciding statement, the principal, action, resource and condition keys', async () => {
    const viewer = new I.IAMClient(clientConfig(server, viewerKeys));
    const decoded = await decode(await encodedMessageOf(viewer.send(new I.ListUsersCommand({}))));
    assert.equal(decoded.allowed, false);
    assert.equal(decoded.explicitDeny, true);
    assert.deepEqual(
      decoded.matchedStatements.items.map((s) => [s.statementId, s.effect]),
      [['NoListing', 'DENY']],
    );
    assert.deepEqual(decoded.failures, { items: [] });
    assert.equal(decoded.context.principal.arn, `arn:aws:iam::${ACCOUNT_ID}:user/Viewer`);
    assert.equal(decoded.context.principal.name, 'Viewer');
    assert.match(decoded.context.principal.id, /^AIDA/);
    assert.equal(decoded.context.action, 'iam:ListUsers');
    assert.equal(decoded.context.resource, `arn:aws:iam::${ACCOUNT_ID}:user/`);
    const username = decoded.context.conditions.items.find((c) => c.key === 'aws:username');
    assert.deepEqual(username?.values.items, [{ value: 'Viewer' }]);
  });

  it('decodes an implicit denial of a billing call over a JSON protocol', async () => {
    const viewer = new CE.CostExplorerClient(clientConfig(server, viewerKeys));
    const encoded = await encodedMessageOf(
      viewer.send(
        new CE.GetCostAndUsageCommand({
          TimePeriod: { Start: '2025-01-01', End: '2025-02-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
        }),
      ),
    );
    const decoded = await decode(encoded);
    assert.equal(decoded.explicitDeny, false);
    assert.deepEqual(decoded.matchedStatements.items, []);
    assert.equal(decoded.context.action, 'ce:GetCostAndUsage');
  });

  it('needs sts:DecodeAuthorizationMessage', async () => {
    const viewer = new I.IAMClient(clientConfig(server, viewerKeys));
    const encoded = await encodedMessageOf(viewer.send(new I.ListUsersCommand({})));
    await rejectsWith(
      new S.STSClient(clientConfig(server, viewerKeys)).send(
        new S.DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }),
      ),
      'AccessDenied',
      403,
      /sts:DecodeAuthorizationMessage/,
    );
  });

  it('refuses a tampered, a forged and a foreign message', async () => {
    const viewer = new I.IAMClient(clientConfig(server, viewerKeys));
    const encoded = await encodedMessageOf(viewer.send(new I.ListUsersCommand({})));
    const last = encoded.at(-2) === 'A' ? 'B' : 'A';
    const refused = (EncodedMessage: string) =>
      rejectsWith(
        rootSts.send(new S.DecodeAuthorizationMessageCommand({ EncodedMessage })),
        'InvalidAuthorizationMessageException',
        400,
        /^The specified encoded message is invalid\.$/,
      );
    await refused(`${encoded.slice(0, -2)}${last}${encoded.at(-1)}`);
    await refused(JSON.stringify({ allowed: true }));
    // Sealed by this server's key: this account's message opens, another account's does not.
    const seal = (accountId: string) =>
      new AuthorizationMessages(SecretBox.fromKey(MASTER_KEY)).encode(
        { kind: 'user', accountId, arn: `arn:aws:iam::${accountId}:user/x`, userId: 'AIDAX' },
        { action: 'iam:ListUsers', resource: '*', context: {} },
        { decision: 'ImplicitlyDenied', explanation: '', matched: [], blockedBy: [], missingContextKeys: [] },
      );
    assert.equal((await decode(seal(ACCOUNT_ID))).context.principal.arn, `arn:aws:iam::${ACCOUNT_ID}:user/x`);
    const foreign = seal('999988887777');
    await refused(foreign);
  });
});
