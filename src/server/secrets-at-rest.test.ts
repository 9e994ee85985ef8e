/**
 * Secrets at rest on SQLite and PostgreSQL: the stored column is never the secret, signatures made with the
 * secret still verify (long-term and STS keys), MFA codes still check, legacy plaintext rows are read and
 * sealed at start, a different master key refuses to start, and rotation re-seals everything.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HOTP, Secret } from 'otpauth';
import { signRequest, type TestCredentials } from '../../test/sigv4/sign-request.js';
import { run as rotateCommand } from '../cli/rotate-master-key-command.js';
import { systemClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { silentLogger } from '../platform/logger.js';
import {
  MASTER_KEY_FILE,
  SecretBox,
  SecretUnreadableError,
  loadMasterKey,
  parseMasterKey,
} from '../platform/secrets.js';
import type { OpenedDatabase } from '../store/database.js';
import { testDatabases } from '../store/test-databases.js';
import { bootstrapDemoAccount } from './bootstrap.js';
import { createServer } from './create-server.js';
import { MasterKeyMismatchError, prepareSecretsAtRest, rotateMasterKey } from './secrets-at-rest.js';
import { buildWorld, type World } from './world.js';

const ACCOUNT_ID = '111122223333';
const ROOT_KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

async function call(world: World, credentials: TestCredentials, action: string, extra: Record<string, string> = {}) {
  const body = new URLSearchParams({ Action: action, Version: '2011-06-15', ...extra }).toString();
  const signed = await signRequest(
    { body, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } },
    credentials,
    { service: 'sts', at: new Date() },
  );
  return world.handleApi({ ...signed, body: Buffer.from(body), sourceIp: '127.0.0.1', secure: false });
}

const xmlField = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';

for (const database of await testDatabases()) {
  describe(`secrets at rest (${database.label})`, { skip: database.skip }, () => {
    let opened: OpenedDatabase;
    let box: SecretBox;
    let world: World;

    const start = async (key: SecretBox) => {
      await prepareSecretsAtRest(opened.db, key, 'the test', new Date());
      return buildWorld({
        database: opened,
        clock: systemClock,
        ids: seededIdSource(`secrets-${database.label}`),
        logger: silentLogger,
        region: 'us-east-1',
        passwordHashCost: 1024,
        secrets: key,
      });
    };
    const storedKeySecret = async (accessKeyId: string) =>
      (
        await opened.db
          .selectFrom('iam_access_keys')
          .select('secret_access_key')
          .where('access_key_id', '=', accessKeyId)
          .executeTakeFirstOrThrow()
      ).secret_access_key;

    before(async () => {
      opened = await database.open();
      box = SecretBox.random();
      world = await start(box);
      await bootstrapDemoAccount(
        opened,
        world.accounts,
        world.accessKeys,
        { accountId: ACCOUNT_ID, rootEmail: 'secrets@example.com', rootPassword: 'Secrets-passw0rd!', ...ROOT_KEY },
        seededIdSource('secrets-bootstrap'),
      );
    });
    after(async () => {
      await opened.close();
    });

    it('stores access-key secrets sealed, and requests signed with them verify', async () => {
      const stored = await storedKeySecret(ROOT_KEY.accessKeyId);
      assert.match(stored, /^enc:v1:/);
      assert.ok(!stored.includes(ROOT_KEY.secretAccessKey));
      const answer = await call(world, ROOT_KEY, 'GetCallerIdentity');
      assert.equal(answer.status, 200, answer.body);
      assert.equal(xmlField(answer.body, 'Account'), ACCOUNT_ID);
      const wrong = await call(world, { ...ROOT_KEY, secretAccessKey: stored.slice(0, 40) }, 'GetCallerIdentity');
      assert.equal(wrong.status, 403, 'the stored text is not a usable secret');

      const created = await world.accessKeys.create(ACCOUNT_ID);
      assert.ok(!(await storedKeySecret(created.AccessKeyId)).includes(created.SecretAccessKey));
      const fresh = { accessKeyId: created.AccessKeyId, secretAccessKey: created.SecretAccessKey };
      assert.equal((await call(world, fresh, 'GetCallerIdentity')).status, 200);
      await world.accessKeys.delete(ACCOUNT_ID, created.AccessKeyId);
    });

    it('stores STS session secrets sealed, and temporary credentials still sign', async () => {
      const issued = await call(world, ROOT_KEY, 'GetSessionToken', { DurationSeconds: '900' });
      assert.equal(issued.status, 200, issued.body);
      const temporary = {
        accessKeyId: xmlField(issued.body, 'AccessKeyId'),
        secretAccessKey: xmlField(issued.body, 'SecretAccessKey'),
        sessionToken: xmlField(issued.body, 'SessionToken'),
      };
      const row = await opened.db
        .selectFrom('sts_sessions')
        .select('secret_access_key')
        .where('access_key_id', '=', temporary.accessKeyId)
        .executeTakeFirstOrThrow();
      assert.match(row.secret_access_key, /^enc:v1:/);
      assert.ok(!row.secret_access_key.includes(temporary.secretAccessKey));
      const answer = await call(world, temporary, 'GetCallerIdentity');
      assert.equal(answer.status, 200, answer.body);
    });

    it('stores MFA seeds sealed, and codes from the seed still enable the device', async () => {
      const mfa = world.iamServices.mfa;
      const device = await mfa.createVirtual(ACCOUNT_ID, { VirtualMFADeviceName: 'sealed' });
      const row = await opened.db
        .selectFrom('iam_mfa_devices')
        .select('seed_base32')
        .where('serial_number', '=', device.VirtualMFADevice.SerialNumber)
        .executeTakeFirstOrThrow();
      assert.match(row.seed_base32, /^enc:v1:/);
      assert.ok(!row.seed_base32.includes(device.seedBase32));
      const secret = Secret.fromBase32(device.seedBase32);
      const step = Math.floor(Date.now() / 30_000);
      await mfa.enable(
        ACCOUNT_ID,
        undefined,
        device.VirtualMFADevice.SerialNumber,
        HOTP.generate({ secret, counter: step - 1 }),
        HOTP.generate({ secret, counter: step }),
      );
    });

    it('reads a legacy plaintext secret, and seals it at the next start', async () => {
      const created = await world.accessKeys.create(ACCOUNT_ID);
      await opened.db
        .updateTable('iam_access_keys')
        .set({ secret_access_key: created.SecretAccessKey })
        .where('access_key_id', '=', created.AccessKeyId)
        .execute();
      assert.equal((await world.accessKeys.find(created.AccessKeyId))?.secretAccessKey, created.SecretAccessKey);
      const { sealed } = await prepareSecretsAtRest(opened.db, box, 'the test', new Date());
      assert.equal(sealed, 1);
      assert.match(await storedKeySecret(created.AccessKeyId), /^enc:v1:/);
      assert.equal((await world.accessKeys.find(created.AccessKeyId))?.secretAccessKey, created.SecretAccessKey);
      await world.accessKeys.delete(ACCOUNT_ID, created.AccessKeyId);
    });

    it('does not open a sealed secret copied into another row', async () => {
      const created = await world.accessKeys.create(ACCOUNT_ID);
      await opened.db
        .updateTable('iam_access_keys')
        .set({ secret_access_key: await storedKeySecret(ROOT_KEY.accessKeyId) })
        .where('access_key_id', '=', created.AccessKeyId)
        .execute();
      await assert.rejects(world.accessKeys.find(created.AccessKeyId), SecretUnreadableError);
      await world.accessKeys.delete(ACCOUNT_ID, created.AccessKeyId);
    });

    it('refuses to start with another master key, and saying what to do', async () => {
      await assert.rejects(
        prepareSecretsAtRest(opened.db, SecretBox.random(), 'BURSAR_MASTER_KEY', new Date()),
        (error: Error) => {
          assert.ok(error instanceof MasterKeyMismatchError);
          assert.match(error.message, /^The master key from BURSAR_MASTER_KEY is not the one this store's secrets/);
          assert.match(error.message, /same BURSAR_MASTER_KEY/);
          return true;
        },
      );
    });

    it('rotates the master key: everything re-sealed, the old key refused afterwards', async () => {
      const next = SecretBox.random();
      const { resealed } = await rotateMasterKey(opened.db, box, next, 'the test', new Date());
      assert.ok(resealed >= 3, `re-sealed ${resealed}`);
      await assert.rejects(prepareSecretsAtRest(opened.db, box, 'the old key', new Date()), MasterKeyMismatchError);
      world = await start(next);
      box = next;
      assert.equal((await call(world, ROOT_KEY, 'GetCallerIdentity')).status, 200);
      await assert.rejects(rotateMasterKey(opened.db, SecretBox.random(), next, 'a stranger', new Date()));
    });
  });
}

describe('the master key', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bursar-master-key-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('takes 32 bytes as hex or base64, and names what is wrong otherwise', () => {
    assert.equal(parseMasterKey('ab'.repeat(32), 'x').length, 32);
    assert.equal(parseMasterKey(Buffer.alloc(32, 7).toString('base64'), 'x').length, 32);
    assert.throws(
      () => parseMasterKey('ab'.repeat(16), 'BURSAR_MASTER_KEY'),
      /^Error: BURSAR_MASTER_KEY is not a master key: expected 32 bytes/,
    );
    assert.throws(() => parseMasterKey('not base64 at all!', 'BURSAR_MASTER_KEY'), /not a master key/);
  });

  it('is made on first start in the data directory, readable by its owner only, and kept', async () => {
    const first = await createServer({ dataDir, port: 0, passwordHashCost: 1024 });
    await first.close();
    const file = join(dataDir, MASTER_KEY_FILE);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const key = await readFile(file, 'utf8');
    const second = await createServer({ dataDir, port: 0, passwordHashCost: 1024 });
    assert.equal(second.secretsAtRest.origin, file);
    await second.close();
    assert.equal(await readFile(file, 'utf8'), key);
  });

  it('refuses to start the server with a key the store was not sealed with', async () => {
    await assert.rejects(
      createServer({ dataDir, port: 0, passwordHashCost: 1024, masterKey: 'cd'.repeat(32) }),
      /^MasterKeyMismatchError|The master key from BURSAR_MASTER_KEY is not the one/,
    );
  });

  it('is rotated by `bursar rotate-master-key`, which replaces the key file', async () => {
    const rotated = join(dataDir, 'rotated');
    const server = await createServer({
      dataDir: rotated,
      port: 0,
      passwordHashCost: 1024,
      bootstrap: { accountId: ACCOUNT_ID, rootEmail: 'rotate@example.com', ...ROOT_KEY },
    });
    await server.close();
    const newKeyFile = join(rotated, 'next.key');
    const newKey = Buffer.alloc(32, 9).toString('base64');
    await writeFile(newKeyFile, `${newKey}\n`);
    const previousKey = process.env.BURSAR_MASTER_KEY;
    delete process.env.BURSAR_MASTER_KEY;
    const code = await rotateCommand(['--new-key-file', newKeyFile, '--data-dir', rotated]);
    if (previousKey !== undefined) process.env.BURSAR_MASTER_KEY = previousKey;
    assert.equal(code, 0);
    assert.equal((await readFile(join(rotated, MASTER_KEY_FILE), 'utf8')).trim(), newKey);
    const restarted = await createServer({ dataDir: rotated, port: 0, passwordHashCost: 1024 });
    try {
      const key = await restarted.world().accessKeys.find(ROOT_KEY.accessKeyId);
      assert.equal(key?.secretAccessKey, ROOT_KEY.secretAccessKey);
    } finally {
      await restarted.close();
    }
  });

  it('refuses a key file others can read', async () => {
    await chmod(join(dataDir, MASTER_KEY_FILE), 0o644);
    await assert.rejects(loadMasterKey({ dataDir, ephemeral: false }), /readable by others.*chmod 600/);
  });
});
