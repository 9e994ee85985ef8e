/**
 * The analysis against real calls, for generated accounts: users with random group memberships, policies
 * (Allow, Deny, NotAction) and boundaries; for each user, `iam:ListUsers` through invoke() succeeds exactly when
 * the analysis says `allowed`, and is refused with the decision the analysis reports.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Caller, RequestFacts } from '../core/operation.js';
import { requestContext } from '../operations/invoke.js';
import { systemClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { silentLogger } from '../platform/logger.js';
import { buildWorld, type World } from '../server/world.js';
import { openDatabase, type OpenedDatabase } from '../store/database.js';
import { AccessAnalysis } from './access-analysis.js';

const ACCOUNT = '210987654321';
const ACTION = 'iam:ListUsers';
const STATEMENTS = [
  { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' },
  { Effect: 'Allow', Action: 'iam:List*', Resource: '*' },
  { Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' },
  { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
  { Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' },
];

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('who can? agrees with real calls on generated accounts', () => {
  let database: OpenedDatabase;
  let world: World;
  const facts = (): RequestFacts => ({
    requestId: 'test-request',
    sourceIp: '192.0.2.1',
    userAgent: 'test',
    now: systemClock.now(),
    via: 'json',
  });
  const root: Caller = { kind: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };

  before(async () => {
    database = await openDatabase({ ephemeral: true });
    world = await buildWorld({
      database,
      clock: systemClock,
      ids: seededIdSource('who-can'),
      logger: silentLogger,
      region: 'us-east-1',
      passwordHashCost: 1024,
    });
    await world.accounts.signUp({
      email: 'root@who-can.example',
      password: 'Who-Can-Passw0rd!',
      accountName: 'wc',
      accountId: ACCOUNT,
    });
  });
  after(async () => {
    await database.close();
  });

  for (const seed of [2, 3, 4, 5, 6]) {
    it(`seed ${seed}`, async () => {
      const next = random(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
      const iam = (name: string, input: Record<string, unknown>) => world.invoke(root, facts(), 'iam', name, input);
      const policies: string[] = [];
      for (let p = 0; p < 4; p++) {
        const statements = [pick(STATEMENTS), ...(next() < 0.5 ? [pick(STATEMENTS)] : [])];
        const created = (await iam('CreatePolicy', {
          PolicyName: `S${seed}P${p}`,
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
        })) as { Policy: { Arn: string } };
        policies.push(created.Policy.Arn);
      }
      for (let g = 0; g < 3; g++) {
        await iam('CreateGroup', { GroupName: `S${seed}G${g}` });
        await iam('AttachGroupPolicy', { GroupName: `S${seed}G${g}`, PolicyArn: pick(policies) });
      }
      const users: string[] = [];
      for (let u = 0; u < 12; u++) {
        const name = `S${seed}U${u}`;
        users.push(name);
        await iam('CreateUser', { UserName: name });
        if (next() < 0.6)
          await iam('AddUserToGroup', { GroupName: `S${seed}G${Math.floor(next() * 3)}`, UserName: name });
        if (next() < 0.4) await iam('AttachUserPolicy', { UserName: name, PolicyArn: pick(policies) });
        if (next() < 0.25)
          await iam('PutUserPermissionsBoundary', { UserName: name, PermissionsBoundary: pick(policies) });
      }

      const analysis = new AccessAnalysis({
        ctx: world.iam,
        resolver: world.iamServices.resolver,
        principalContext: (caller, tags) => requestContext(caller, facts(), tags, 'us-east-1'),
        // The context is complete: no key is left for the analysis to vary.
        requestKeys: [],
      });
      const answers = await analysis.whoCan([ACCOUNT], ACTION);
      const decisions = new Set<string>();
      for (const name of users) {
        const answer = answers.find((a) => a.name === name)!;
        decisions.add(answer.decision);
        const user = answer.arn;
        const caller: Caller = {
          kind: 'user',
          accountId: ACCOUNT,
          arn: user,
          userId: (await world.iamServices.users.get(ACCOUNT, name)).UserId as string,
          name,
        };
        const call = world.invoke(caller, facts(), 'iam', 'ListUsers', {});
        if (answer.decision === 'allowed') await call;
        else {
          await assert.rejects(call, (error: Error & { code?: string; decision?: string }) => {
            assert.equal(error.code, 'AccessDenied', name);
            assert.equal(error.decision, answer.engineDecision, name);
            return true;
          });
        }
      }
      // The generated accounts must exercise both answers, or the comparison proves little.
      assert.deepEqual([...decisions].sort(), ['allowed', 'denied']);
    });
  }
});
