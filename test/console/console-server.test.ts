/**
 * The console behind the whole server: security headers on the page and the API, and the
 * `--trust-proxy` setting (client address for the sign-in throttle, protocol for the cookies' Secure flag).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer, type BursarServer } from '../../src/server/create-server.js';
import { CONSOLE_CONTENT_SECURITY_POLICY } from '../../src/console/static.js';
import { CSRF_COOKIE, CSRF_HEADER } from '../../src/console/routes.js';

const ROOT_EMAIL = 'proxy-test@example.com';

/** A sign-in attempt as a browser would make it, with whatever the proxy (or the client) put in the headers. */
async function signIn(
  server: BursarServer,
  password: string,
  headers: Record<string, string> = {},
  email = ROOT_EMAIL,
) {
  const session = await server.app.inject({ method: 'GET', url: '/console/api/session', headers });
  const csrf = session.cookies.find((c) => c.name === CSRF_COOKIE)!.value;
  return server.app.inject({
    method: 'POST',
    url: '/console/api/signin/root',
    headers: { ...headers, cookie: `${CSRF_COOKIE}=${csrf}`, [CSRF_HEADER]: csrf },
    payload: { email, password },
  });
}

for (const trustProxy of [false, true]) {
  describe(`console behind a proxy (trustProxy ${trustProxy})`, () => {
    let server: BursarServer;
    before(async () => {
      server = await createServer({
        ephemeral: true,
        port: 0,
        passwordHashCost: 1024,
        trustProxy,
        bootstrap: { rootEmail: ROOT_EMAIL, rootPassword: 'Right-passw0rd!' },
      });
    });
    after(async () => {
      await server.close();
    });

    it('sets the Secure flag from X-Forwarded-Proto only when the proxy is trusted', async () => {
      const r = await server.app.inject({
        method: 'GET',
        url: '/console/api/session',
        headers: { 'x-forwarded-proto': 'https' },
      });
      assert.equal(r.cookies.find((c) => c.name === CSRF_COOKIE)!.secure === true, trustProxy);
    });

    it('throttles the address the trusted proxy saw, and ignores X-Forwarded-For otherwise', async () => {
      // 30 failures against 30 principals, each claiming another client address left of the proxy's entry.
      for (let i = 0; i < 30; i++) {
        const r = await signIn(
          server,
          'wrong',
          { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.9` },
          `nobody${i}@example.com`,
        );
        assert.equal(r.statusCode, 401, `attempt ${i}`);
      }
      const sameAddress = await signIn(server, 'Right-passw0rd!', { 'x-forwarded-for': '10.9.9.9, 203.0.113.9' });
      assert.equal(sameAddress.statusCode, 429);
      // Another client behind the proxy: its own address when trusted; the proxy's (same) address when not.
      const other = await signIn(server, 'Right-passw0rd!', { 'x-forwarded-for': '198.51.100.7' });
      assert.equal(other.statusCode, trustProxy ? 200 : 429);
    });
  });
}

describe('console security headers', () => {
  let server: BursarServer;
  before(async () => {
    server = await createServer({ ephemeral: true, port: 0, passwordHashCost: 1024 });
  });
  after(async () => {
    await server.close();
  });

  it('puts a CSP, frame denial, nosniff and a referrer policy on the console page', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/console/' });
    assert.equal(page.headers['content-security-policy'], CONSOLE_CONTENT_SECURITY_POLICY);
    assert.match(CONSOLE_CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/);
    assert.match(CONSOLE_CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
  });

  it('marks console API answers nosniff and no-store, errors included', async () => {
    for (const r of [
      await server.app.inject({ method: 'GET', url: '/console/api/session' }),
      await server.app.inject({ method: 'POST', url: '/console/api/call', payload: {} }),
    ]) {
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.equal(r.headers['cache-control'], 'no-store');
    }
  });
});
