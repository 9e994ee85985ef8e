import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { accessDenied } from '../operations/errors.js';
import type { Caller, RequestFacts } from '../operations/types.js';
import { FixedClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { silentLogger } from '../platform/logger.js';
import type { OpenedDatabase } from '../store/database.js';
import { testDatabases } from '../store/test-databases.js';
import type { ConsoleAccounts, PasswordMatch } from './ports.js';
import {
  CSRF_HEADER,
  REMEMBERED_ACCOUNT_COOKIE,
  SESSION_COOKIE,
  SIGNIN_FAILED,
  registerConsoleRoutes,
} from './routes.js';

const ACCOUNT = '111122223333';
const root: Caller = { kind: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };
const user = (name: string): Caller => ({
  kind: 'user',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  userId: `AIDA${name.toUpperCase()}`,
  name,
});

/** An IAM service stand-in: a root user, a plain user, one that must change its password, one with MFA. */
const accounts: ConsoleAccounts = {
  async signUp() {
    return { accountId: ACCOUNT };
  },
  async authenticateRoot(email, password) {
    return email === 'owner@example.com' && password === 'root-pass'
      ? { caller: root, passwordResetRequired: false, hasMfaDevice: false }
      : null;
  },
  async authenticateUser(account, userName, password) {
    if (account !== ACCOUNT && account !== 'example-corp') return null;
    const table: Record<string, PasswordMatch> = {
      FinanceManager: { caller: user('FinanceManager'), passwordResetRequired: false, hasMfaDevice: false },
      NewStarter: { caller: user('NewStarter'), passwordResetRequired: true, hasMfaDevice: false },
      Careful: { caller: user('Careful'), passwordResetRequired: false, hasMfaDevice: true },
    };
    return password === 'user-pass' ? (table[userName] ?? null) : null;
  },
  async verifyMfaCode(_caller, code) {
    return code === '123456';
  },
  async accountAlias() {
    return 'example-corp';
  },
};

interface InvokeCall {
  caller: Caller;
  facts: RequestFacts;
  service: string;
  operation: string;
  input: Record<string, unknown>;
}

for (const database of await testDatabases()) {
  describe(`console endpoints (${database.label})`, { skip: database.skip }, () => {
    let opened: OpenedDatabase;
    let app: FastifyInstance;
    let clock: FixedClock;
    let calls: InvokeCall[];
    let seed = 0;

    before(async () => {
      opened = await database.open();
    });
    after(async () => {
      await opened.close();
    });

    beforeEach(async () => {
      await opened.db.deleteFrom('console_sessions').execute();
      await opened.db.deleteFrom('console_signin_failures').execute();
      calls = [];
      clock = new FixedClock('2026-11-27T12:00:00Z');
      app = Fastify();
      await registerConsoleRoutes(app, {
        db: opened.db,
        clock,
        ids: seededIdSource(`console-${++seed}`),
        logger: silentLogger,
        accounts,
        invoke: async (caller, facts, service, operation, input) => {
          calls.push({ caller, facts, service, operation, input });
          if (operation === 'DeleteAccount') throw accessDenied('User is not authorized.');
          return { ok: true };
        },
      });
    });

    /** A browser: keeps cookies and the CSRF token between requests. */
    class Browser {
      cookies = new Map<string, string>();
      csrf = '';

      async request(method: 'GET' | 'POST', url: string, payload?: unknown, csrf: string | null = this.csrf) {
        const response = await app.inject({
          method,
          url,
          payload: payload as Record<string, unknown> | undefined,
          headers: {
            cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(csrf === null ? {} : { [CSRF_HEADER]: csrf }),
          },
        });
        for (const c of response.cookies) {
          if (c.value === '' || (c.expires !== undefined && c.expires.getTime() < clock.now().getTime()))
            this.cookies.delete(c.name);
          else this.cookies.set(c.name, c.value);
        }
        const body = response.json() as { csrfToken?: string };
        if (typeof body.csrfToken === 'string') this.csrf = body.csrfToken;
        return response;
      }
      async open() {
        return this.request('GET', '/console/api/session');
      }
    }

    const json = (r: LightMyRequestResponse) => r.json() as Record<string, unknown>;

    it('gives a visitor an anonymous session in an HttpOnly, SameSite=Lax cookie', async () => {
      const b = new Browser();
      const r = await b.open();
      assert.equal(r.statusCode, 200);
      assert.equal(json(r).state, 'anonymous');
      const cookie = r.cookies.find((c) => c.name === SESSION_COOKIE)!;
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.ok(Buffer.from(cookie.value, 'base64url').length === 32, 'a 256-bit id');
    });

    it('refuses a state change without the session CSRF token, or with a wrong one', async () => {
      const b = new Browser();
      await b.open();
      const creds = { email: 'owner@example.com', password: 'root-pass' };
      assert.equal((await b.request('POST', '/console/api/signin/root', creds, null)).statusCode, 403);
      const wrong = await b.request('POST', '/console/api/signin/root', creds, 'x'.repeat(b.csrf.length));
      assert.equal(wrong.statusCode, 403);
      assert.equal(json(wrong).code, 'InvalidCsrfToken');
      assert.equal((await b.request('POST', '/console/api/signin/root', creds)).statusCode, 200);
    });

    it('signs the root user in and replaces the pre-sign-in session id', async () => {
      const b = new Browser();
      await b.open();
      const before = b.cookies.get(SESSION_COOKIE);
      const r = await b.request('POST', '/console/api/signin/root', {
        email: 'owner@example.com',
        password: 'root-pass',
      });
      assert.equal(json(r).state, 'active');
      assert.deepEqual((json(r).identity as Record<string, unknown>).kind, 'root');
      assert.notEqual(b.cookies.get(SESSION_COOKIE), before);
      const stale = new Browser();
      stale.cookies.set(SESSION_COOKIE, before!);
      assert.equal(json(await stale.open()).state, 'anonymous');
    });

    it('says the same thing for a wrong user and a wrong password', async () => {
      const b = new Browser();
      await b.open();
      const noUser = await b.request('POST', '/console/api/signin/iam', {
        account: ACCOUNT,
        userName: 'Nobody',
        password: 'user-pass',
      });
      const badPassword = await b.request('POST', '/console/api/signin/iam', {
        account: ACCOUNT,
        userName: 'FinanceManager',
        password: 'nope',
      });
      assert.equal(noUser.statusCode, 401);
      assert.deepEqual(json(noUser), json(badPassword));
      assert.equal(json(noUser).message, SIGNIN_FAILED);
    });

    it('signs an IAM user in by alias, shows UserName@alias and remembers the account', async () => {
      const b = new Browser();
      await b.open();
      const r = await b.request('POST', '/console/api/signin/iam', {
        account: 'example-corp',
        userName: 'FinanceManager',
        password: 'user-pass',
      });
      assert.equal(json(r).state, 'active');
      assert.equal((json(r).identity as Record<string, unknown>).displayName, 'FinanceManager@example-corp');
      assert.equal(b.cookies.get(REMEMBERED_ACCOUNT_COOKIE), 'example-corp');
      await b.request('POST', '/console/api/signout', {});
      assert.equal(json(await b.open()).rememberedAccount, 'example-corp');
      await b.request('POST', '/console/api/forget-account', {});
      assert.equal(json(await b.open()).rememberedAccount, null);
    });

    it('stops checking passwords after five failures for one user, even the right one', async () => {
      const b = new Browser();
      await b.open();
      const attempt = (password: string) =>
        b.request('POST', '/console/api/signin/iam', { account: ACCOUNT, userName: 'FinanceManager', password });
      for (let i = 0; i < 5; i++) assert.equal((await attempt('wrong')).statusCode, 401);
      assert.equal((await attempt('user-pass')).statusCode, 429);
      clock.advance(16 * 60 * 1000);
      assert.equal((await attempt('user-pass')).statusCode, 200);
    });

    it('makes a user with a reset-required password change it before anything else', async () => {
      const b = new Browser();
      await b.open();
      const r = await b.request('POST', '/console/api/signin/iam', {
        account: ACCOUNT,
        userName: 'NewStarter',
        password: 'user-pass',
      });
      assert.equal(json(r).state, 'password-change');
      const call = await b.request('POST', '/console/api/call', { service: 'iam', operation: 'ListUsers', input: {} });
      assert.equal(call.statusCode, 401);
      const changed = await b.request('POST', '/console/api/change-password', {
        oldPassword: 'user-pass',
        newPassword: 'Better-pass-1',
      });
      assert.equal(json(changed).state, 'active');
      assert.equal(calls[0]!.operation, 'ChangePassword');
      assert.deepEqual(calls[0]!.input, { OldPassword: 'user-pass', NewPassword: 'Better-pass-1' });
      assert.equal(calls[0]!.caller.name, 'NewStarter');
    });

    it('asks for the TOTP code of a user with an MFA device', async () => {
      const b = new Browser();
      await b.open();
      const r = await b.request('POST', '/console/api/signin/iam', {
        account: ACCOUNT,
        userName: 'Careful',
        password: 'user-pass',
      });
      assert.equal(json(r).state, 'mfa');
      assert.equal((await b.request('POST', '/console/api/signin/mfa', { code: '000000' })).statusCode, 401);
      const ok = await b.request('POST', '/console/api/signin/mfa', { code: '123456' });
      assert.equal(json(ok).state, 'active');
      assert.equal((json(ok).identity as Record<string, unknown>).mfaAuthenticated, true);
    });

    it('runs operations through invoke() as the session caller, via the console, and passes errors on', async () => {
      const b = new Browser();
      await b.open();
      await b.request('POST', '/console/api/signin/root', { email: 'owner@example.com', password: 'root-pass' });
      const ok = await b.request('POST', '/console/api/call', {
        service: 'iam',
        operation: 'ListUsers',
        input: { MaxItems: 10 },
      });
      assert.deepEqual(json(ok), { ok: true });
      assert.equal(calls[0]!.caller.arn, root.arn);
      assert.equal(calls[0]!.facts.via, 'console');
      assert.deepEqual(calls[0]!.input, { MaxItems: 10 });
      const denied = await b.request('POST', '/console/api/call', { service: 'x', operation: 'DeleteAccount' });
      assert.equal(denied.statusCode, 403);
      assert.deepEqual(json(denied), { code: 'AccessDenied', message: 'User is not authorized.' });
    });

    it('ends a session on sign-out, after an idle hour, and at the absolute limit', async () => {
      const b = new Browser();
      await b.open();
      await b.request('POST', '/console/api/signin/root', { email: 'owner@example.com', password: 'root-pass' });
      const signedIn = b.cookies.get(SESSION_COOKIE)!;
      await b.request('POST', '/console/api/signout', {});
      const replay = new Browser();
      replay.cookies.set(SESSION_COOKIE, signedIn);
      assert.equal(json(await replay.open()).state, 'anonymous');

      await b.request('POST', '/console/api/signin/root', { email: 'owner@example.com', password: 'root-pass' });
      clock.advance(61 * 60 * 1000);
      assert.equal(json(await b.open()).state, 'anonymous');

      await b.request('POST', '/console/api/signin/root', { email: 'owner@example.com', password: 'root-pass' });
      for (let i = 0; i < 13; i++) {
        clock.advance(59 * 60 * 1000);
        await b.open();
      }
      assert.equal(json(await b.open()).state, 'anonymous');
    });
  });
}
