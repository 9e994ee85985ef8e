/**
 * The service rules that sit above policies (src/policy/service-rules.ts) are decided in the engine, so a
 * real call, SimulatePrincipalPolicy / SimulateCustomPolicy and `bursar policy evaluate` (evaluateCase)
 * answer alike. Each rule is asked all three ways here, through the real SDK v3 clients.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as I from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { evaluateCase } from '../../src/policy/index.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, rejectsWith, startServer } from '../compat/harness.js';

let server: BursarServer;
let iam: I.IAMClient;
before(async () => {
  server = await startServer();
  iam = new I.IAMClient(clientConfig(server));
});
after(async () => server?.close());

const AWS_MANAGED = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const DENY_CALLER_IDENTITY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: 'sts:GetCallerIdentity', Resource: '*' },
  ],
};
const SIMULATED_DECISION = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' };

/** What SimulateCustomPolicy and the command line's evaluateCase answer for one question. */
async function bothSimulators(policy: object, action: string, resource: string) {
  const simulated = await iam.send(
    new I.SimulateCustomPolicyCommand({
      PolicyInputList: [JSON.stringify(policy)],
      ActionNames: [action],
      ResourceArns: [resource],
    }),
  );
  const cli = evaluateCase({
    request: { principal: `arn:aws:iam::${ACCOUNT_ID}:user/SimulatedUser`, action, resource },
    policies: { identity: [policy] },
  });
  return { simulated: simulated.EvaluationResults?.[0]?.EvalDecision, cli: SIMULATED_DECISION[cli.decision] };
}

test('an AWS managed policy cannot be changed: real calls, the simulator and the CLI agree', async () => {
  const because = /because AWS managed policies cannot be changed$/;
  await rejectsWith(iam.send(new I.DeletePolicyCommand({ PolicyArn: AWS_MANAGED })), 'AccessDenied', 403, because);
  await rejectsWith(
    iam.send(new I.CreatePolicyVersionCommand({ PolicyArn: AWS_MANAGED, PolicyDocument: JSON.stringify(ADMIN) })),
    'AccessDenied',
    403,
    because,
  );
  await rejectsWith(
    iam.send(new I.TagPolicyCommand({ PolicyArn: AWS_MANAGED, Tags: [{ Key: 'k', Value: 'v' }] })),
    'AccessDenied',
    403,
    because,
  );
  for (const action of ['iam:DeletePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion']) {
    assert.deepEqual(await bothSimulators(ADMIN, action, AWS_MANAGED), {
      simulated: 'implicitDeny',
      cli: 'implicitDeny',
    });
  }
  // Reading it is an ordinary permission.
  const read = await iam.send(new I.GetPolicyCommand({ PolicyArn: AWS_MANAGED }));
  assert.equal(read.Policy?.Arn, AWS_MANAGED);
  assert.deepEqual(await bothSimulators(ADMIN, 'iam:GetPolicy', AWS_MANAGED), {
    simulated: 'allowed',
    cli: 'allowed',
  });
});

test('sts:GetCallerIdentity cannot be denied: a real call, the simulator and the CLI agree', async () => {
  await iam.send(new I.CreateUserCommand({ UserName: 'Denied' }));
  await iam.send(
    new I.PutUserPolicyCommand({
      UserName: 'Denied',
      PolicyName: 'deny-identity',
      PolicyDocument: JSON.stringify(DENY_CALLER_IDENTITY),
    }),
  );
  const key = (await iam.send(new I.CreateAccessKeyCommand({ UserName: 'Denied' }))).AccessKey!;
  const sts = new STSClient(
    clientConfig(server, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }),
  );
  const me = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, `arn:aws:iam::${ACCOUNT_ID}:user/Denied`);
  assert.deepEqual(await bothSimulators(DENY_CALLER_IDENTITY, 'sts:GetCallerIdentity', '*'), {
    simulated: 'allowed',
    cli: 'allowed',
  });
  const principal = await iam.send(
    new I.SimulatePrincipalPolicyCommand({
      PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:user/Denied`,
      ActionNames: ['sts:GetCallerIdentity', 'iam:ListUsers'],
    }),
  );
  assert.deepEqual(
    principal.EvaluationResults?.map((r) => r.EvalDecision),
    ['allowed', 'allowed'],
  );
});

test('sts:AssumeRole needs the trust policy: an identity policy alone is refused by the simulator and the CLI', async () => {
  const role = `arn:aws:iam::${ACCOUNT_ID}:role/Deployer`;
  assert.deepEqual(await bothSimulators(ADMIN, 'sts:AssumeRole', role), {
    simulated: 'implicitDeny',
    cli: 'implicitDeny',
  });
  const withTrust = await iam.send(
    new I.SimulateCustomPolicyCommand({
      PolicyInputList: [JSON.stringify(ADMIN)],
      ActionNames: ['sts:AssumeRole'],
      ResourceArns: [role],
      ResourcePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT_ID }, Action: 'sts:AssumeRole' }],
      }),
      CallerArn: `arn:aws:iam::${ACCOUNT_ID}:user/SimulatedUser`,
    }),
  );
  assert.equal(withTrust.EvaluationResults?.[0]?.EvalDecision, 'allowed');
});
