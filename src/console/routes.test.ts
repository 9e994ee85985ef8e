import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { accessDenied } from '../core/errors.js';
import type { Caller, RequestFacts } from '../core/operation.js';
import { FixedClock } from '../platform/clock.js';
import { seededIdSource } from '../platform/ids.js';
import { silentLogger } from '../platform/logger.js';
import type { OpenedDatabase } from '../store/database.js';
import { testDatabases } from '../store/test-databases.js';
import type { ConsoleAccounts, PasswordMatch } from './ports.js';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  REMEMBERED_ACCOUNT_COOKIE,
  SESSION_COOKIE,
  SIGNIN_FAILED,
  jsonNestsDeeperThan,
  registerConsoleRoutes,
} from './routes.js';
import { DEFAULT_THROTTLE, delayAfter } from './signin-throttle.js';

const ACCOUNT = '111122223333';
const root: Caller = { kind: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };
const user = (name: string): Caller => ({
  kind: 'user',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  userId: `AIDA${name.toUpperCase()}`,
  name,
});

/** How many passwords the stand-in below was asked to check: what the throttle must keep small. */
let passwordChecks = 0;
/** A password check takes a while (scrypt), long enough for concurrent attempts to overlap. */
const hashing = () => new Promise((resolve) => setTimeout(resolve, 2));

/**
 * An IAM service stand-in: a root user, a plain user, one that must change its password, one with MFA.
 * Like the real one, it finds the root user by the trimmed, case-folded email.
 */
const accounts: ConsoleAccounts = {
  async signUp() {
    return { accountId: ACCOUNT };
  },
  async authenticateRoot(email, password) {
    passwordChecks++;
    await hashing();
    return email.trim().toLowerCase() === 'owner@example.com' && password === 'root-pass'
      ? { caller: root, passwordResetRequired: false, hasMfaDevice: false }
      : null;
  },
  async accountIdFor(signInName) {
    return signInName === ACCOUNT || signInName.toLowerCase() === 'example-corp' ? ACCOUNT : null;
  },
  async authenticateUser(account, userName, password) {
    passwordChecks++;
    await hashing();
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
      await opened.db.deleteFrom('console_signin_throttle').execute();
      calls = [];
      passwordChecks = 0;
      clock = new FixedClock('2026-11-27T12:00:00Z');
      // The server's own limit: what the console must not let an anonymous caller spend.
      app = Fastify({ bodyLimit: 10 * 1024 * 1024 });
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

      constructor(readonly address = '127.0.0.1') {}

      async request(method: 'GET' | 'POST', url: string, payload?: unknown, csrf: string | null = this.csrf) {
        const response = await app.inject({
          method,
          url,
          remoteAddress: this.address,
          payload: typeof payload === 'string' ? payload : (payload as Record<string, unknown> | undefined),
          headers: {
            ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}),
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

    it('gives a visitor a CSRF token in an HttpOnly, SameSite=Lax cookie, and a session only at sign-in', async () => {
      const b = new Browser();
      const r = await b.open();
      assert.equal(r.statusCode, 200);
      assert.equal(json(r).state, 'anonymous');
      assert.equal(
        r.cookies.find((c) => c.name === SESSION_COOKIE),
        undefined,
      );
      const csrf = r.cookies.find((c) => c.name === CSRF_COOKIE)!;
      assert.equal(csrf.httpOnly, true);
      assert.equal(csrf.sameSite, 'Lax');
      assert.equal(csrf.value, json(r).csrfToken);
      assert.equal(Buffer.from(csrf.value, 'base64url').length, 32, 'a 256-bit token');
      await b.request('POST', '/console/api/signin/root', { email: 'owner@example.com', password: 'root-pass' });
      const session = b.cookies.get(SESSION_COOKIE)!;
      assert.equal(Buffer.from(session, 'base64url').length, 32, 'a 256-bit id');
    });

    it('stores no session row for cookieless visits (1,000 of them)', async () => {
      for (let i = 0; i < 1000; i++) assert.equal((await new Browser().open()).statusCode, 200);
      const rows = await opened.db.selectFrom('console_sessions').select('id_hash').execute();
      assert.equal(rows.length, 0);
    });

    it('marks every console API answer nosniff-safe and never cacheable', async () => {
      const b = new Browser();
      for (const r of [await b.open(), await b.request('POST', '/console/api/call', {}, null)]) {
        assert.equal(r.headers['cache-control'], 'no-store');
        assert.equal(r.headers['x-content-type-options'], 'nosniff');
      }
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

    /** 9.8 MB of nested arrays, the body that once held the event loop for 4–17 s before any check. */
    const hostileBody = () => '['.repeat(4_900_000) + ']'.repeat(4_900_000);

    it('refuses a large body to every anonymous route quickly, in the console error shape, unparsed', async () => {
      const b = new Browser();
      await b.open();
      const medium = JSON.stringify({ email: 'owner@example.com', password: 'root-pass', padding: 'x'.repeat(20_000) });
      for (const route of ['signup', 'signin/root', 'signin/iam', 'signout', 'forget-account']) {
        const started = Date.now();
        const huge = await b.request('POST', `/console/api/${route}`, hostileBody());
        assert.ok(Date.now() - started < 5000, `${route} answered in ${Date.now() - started} ms`);
        assert.equal(huge.statusCode, 413, route);
        assert.deepEqual(Object.keys(json(huge)).sort(), ['code', 'message']);
        assert.equal(json(huge).code, 'RequestEntityTooLarge');
        // 20 KB is no sign-in form either, however well-formed.
        assert.equal((await b.request('POST', `/console/api/${route}`, medium)).statusCode, 413, route);
      }
      assert.equal(passwordChecks, 0);
    });

    it('refuses a small body nested deeper than a form, before parsing it', async () => {
      const b = new Browser();
      await b.open();
      const deep = `{"email":${'['.repeat(1000)}${']'.repeat(1000)},"password":"root-pass"}`;
      const r = await b.request('POST', '/console/api/signin/root', deep);
      assert.equal(r.statusCode, 400);
      assert.equal(json(r).code, 'ValidationError');
      assert.match(String(json(r).message), /nests deeper than 4 levels/);
      assert.equal(passwordChecks, 0);
    });

    it('checks the session and CSRF token of an operation call before reading its body', async () => {
      const b = new Browser();
      await b.open();
      // No session (an anonymous CSRF token is not enough): refused before the malformed body is parsed.
      const anonymous = await b.request('POST', '/console/api/call', '{"service": not json');
      assert.equal(anonymous.statusCode, 401);
      assert.equal(json(anonymous).code, 'NotSignedIn');
      await b.request('POST', '/console/api/signin/root', { email: 'owner@example.com', password: 'root-pass' });
      const noToken = await b.request('POST', '/console/api/call', '{"service": not json', null);
      assert.equal(noToken.statusCode, 403);
      assert.equal(json(noToken).code, 'InvalidCsrfToken');
      const started = Date.now();
      const hugeNoToken = await b.request('POST', '/console/api/call', hostileBody(), null);
      assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
      assert.equal(hugeNoToken.statusCode, 403);
      // With the token, a signed-in call may be large but not deep.
      const deep = await b.request('POST', '/console/api/call', hostileBody());
      assert.equal(deep.statusCode, 400);
      assert.match(String(json(deep).message), /nests deeper than 32 levels/);
      assert.equal(calls.length, 0);
    });

    it('checks the MFA code and password-change routes against the session before reading the body', async () => {
      const b = new Browser();
      await b.open();
      for (const route of ['signin/mfa', 'change-password']) {
        const r = await b.request('POST', `/console/api/${route}`, '{"code": not json');
        assert.equal(r.statusCode, route === 'signin/mfa' ? 400 : 401, route);
        assert.equal(json(r).code, route === 'signin/mfa' ? 'InvalidState' : 'NotSignedIn');
      }
    });

    const signInIam = (b: Browser, password: string, account = ACCOUNT, userName = 'FinanceManager') =>
      b.request('POST', '/console/api/signin/iam', { account, userName, password });
    const signInRoot = (b: Browser, password: string, email = 'owner@example.com') =>
      b.request('POST', '/console/api/signin/root', { email, password });

    it('slows a guesser with a growing wait that names itself, and lets the right password in after it', async () => {
      const b = new Browser();
      await b.open();
      for (let i = 0; i < 5; i++) assert.equal((await signInIam(b, 'wrong')).statusCode, 401);
      const waiting = await signInIam(b, 'user-pass');
      assert.equal(waiting.statusCode, 429);
      assert.equal(json(waiting).code, 'Throttling');
      assert.equal(json(waiting).message, 'Too many failed sign-in attempts. Try again in 1 second.');
      assert.equal(waiting.headers['retry-after'], '1');
      assert.equal(passwordChecks, 5, 'no password is checked while the principal waits');
      // The waits double: 1 s, 2 s, 4 s…
      clock.advance(1000);
      assert.equal((await signInIam(b, 'wrong')).statusCode, 401);
      assert.match(String(json(await signInIam(b, 'user-pass')).message), /Try again in 2 seconds/);
      clock.advance(2000);
      assert.equal((await signInIam(b, 'wrong')).statusCode, 401);
      assert.match(String(json(await signInIam(b, 'user-pass')).message), /Try again in 4 seconds/);
      clock.advance(4000);
      assert.equal(json(await signInIam(b, 'user-pass')).state, 'active');
      // …and a correct password wipes the slate.
      await b.request('POST', '/console/api/signout', {});
      for (let i = 0; i < 5; i++) assert.equal((await signInIam(b, 'wrong')).statusCode, 401);
    });

    it('never makes a user wait longer than the cap, and forgets a quiet principal', async () => {
      const b = new Browser();
      await b.open();
      const cap = DEFAULT_THROTTLE.principal.maxDelayMs;
      for (let i = 0; i < 40; i++) {
        const r = await signInRoot(b, 'wrong');
        if (r.statusCode === 429) clock.advance(Number(r.headers['retry-after']) * 1000);
        assert.ok(Number(r.headers['retry-after'] ?? 0) * 1000 <= cap);
      }
      clock.advance(cap);
      assert.equal(json(await signInRoot(b, 'root-pass')).state, 'active');
      assert.equal(delayAfter(DEFAULT_THROTTLE.principal, 1000), cap);
    });

    it('counts a root email however it is spaced or cased as one principal', async () => {
      const b = new Browser();
      await b.open();
      const spellings = ['owner@example.com', ' owner@example.com ', 'OWNER@example.com', 'Owner@Example.com\t'];
      for (let i = 0; i < 5; i++) await signInRoot(b, 'wrong', spellings[i % spellings.length]);
      for (const email of spellings) assert.equal((await signInRoot(b, 'guess', email)).statusCode, 429, email);
      assert.equal(passwordChecks, 5);
    });

    it('counts an IAM user named through the account id or its alias as one principal', async () => {
      const b = new Browser();
      await b.open();
      for (let i = 0; i < 5; i++) await signInIam(b, 'wrong', i % 2 === 0 ? ACCOUNT : 'example-corp');
      assert.equal((await signInIam(b, 'guess', 'EXAMPLE-CORP')).statusCode, 429);
      assert.equal((await signInIam(b, 'guess', ACCOUNT, 'financemanager')).statusCode, 429);
      assert.equal(passwordChecks, 5);
    });

    it('checks at most the allowed number of 40 concurrent wrong passwords', async () => {
      const b = new Browser();
      await b.open();
      const answers = await Promise.all(Array.from({ length: 40 }, () => signInRoot(b, 'wrong')));
      const statuses = answers.map((r) => r.statusCode);
      assert.equal(passwordChecks, DEFAULT_THROTTLE.principal.free);
      assert.equal(statuses.filter((s) => s === 401).length, DEFAULT_THROTTLE.principal.free);
      assert.equal(statuses.filter((s) => s === 429).length, 40 - DEFAULT_THROTTLE.principal.free);
    });

    it('slows one address sweeping many users without slowing other addresses or the users themselves', async () => {
      const sweeper = new Browser('203.0.113.9');
      await sweeper.open();
      for (let i = 0; i < 30; i++) await signInIam(sweeper, 'wrong', ACCOUNT, `User${i}`);
      assert.equal((await signInIam(sweeper, 'user-pass')).statusCode, 429);
      const elsewhere = new Browser('198.51.100.7');
      await elsewhere.open();
      assert.equal(json(await signInIam(elsewhere, 'user-pass')).state, 'active');
    });

    it('does not count correct sign-ins against an address shared by many people', async () => {
      const office = new Browser('192.0.2.1');
      await office.open();
      for (let i = 0; i < 60; i++) {
        const r = await signInRoot(office, 'root-pass');
        assert.equal(r.statusCode, 200, `sign-in ${i}`);
        await office.request('POST', '/console/api/signout', {});
      }
    });

    it('limits sign-ups per source address', async () => {
      const b = new Browser('203.0.113.50');
      await b.open();
      const signUp = (who: Browser) =>
        who.request('POST', '/console/api/signup', {
          email: 'owner@example.com',
          password: 'root-pass',
          accountName: 'x',
        });
      for (let i = 0; i < DEFAULT_THROTTLE.signUp.free; i++) {
        assert.equal((await signUp(b)).statusCode, 200, `sign-up ${i}`);
        await b.request('POST', '/console/api/signout', {});
      }
      const refused = await signUp(b);
      assert.equal(refused.statusCode, 429);
      assert.match(
        String(json(refused).message),
        /^Too many accounts created from your address\. Try again in 60 seconds\.$/,
      );
      const other = new Browser('198.51.100.50');
      await other.open();
      assert.equal((await signUp(other)).statusCode, 200);
    });

    it('finds JSON nesting by a linear scan that ignores brackets inside strings', () => {
      assert.equal(jsonNestsDeeperThan('{"a":"[[[[[[[[[[[["}', 2), false);
      assert.equal(jsonNestsDeeperThan('{"a":"\\"[[[[[["}', 2), false);
      assert.equal(jsonNestsDeeperThan('{"a":[[1]]}', 2), true);
      assert.equal(jsonNestsDeeperThan('{"a":[1],"b":[2]}', 2), false);
    });
  });
}
