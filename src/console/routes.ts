/**
 * The console's HTTP endpoints under `/console/api/…`: sign-up, sign-in (root, IAM user, MFA, the
 * first-sign-in password change), sign-out, and the one operation endpoint `POST /console/api/call`,
 * which hands `{service, operation, input}` to the Edge's invoke() as the session's caller. Nothing here
 * decides who may do what: that is invoke()'s job, for the console exactly as for the APIs.
 */
import { timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { ServiceError } from '../operations/errors.js';
import type { Caller, RequestFacts } from '../operations/types.js';
import type { Clock } from '../platform/clock.js';
import { requestId, type IdSource } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import type { Database } from '../store/schema.js';
import type { ConsoleAccounts, Invoke, PasswordMatch } from './ports.js';
import { SessionStore, type Session, type SessionLifetimes } from './sessions.js';
import { SigninThrottle, type ThrottleKeys, type ThrottleLimits } from './signin-throttle.js';

export interface ConsoleDeps {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  accounts: ConsoleAccounts;
  invoke: Invoke;
  lifetimes?: SessionLifetimes;
  throttle?: ThrottleLimits;
}

export const SESSION_COOKIE = 'bursar-console-session';
/** The sign-in page's memory of the last account an IAM user signed in to (as AWS's sign-in page does). */
export const REMEMBERED_ACCOUNT_COOKIE = 'bursar-signin-account';
export const CSRF_HEADER = 'x-csrf-token';

/** AWS's sign-in page says this for a wrong account, user, password or MFA code alike. */
export const SIGNIN_FAILED = 'Your authentication information is incorrect. Please try again.';
const SIGNIN_THROTTLED = 'Too many failed sign-in attempts. Wait a few minutes, then try again.';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession: Session | null;
  }
}

class ConsoleError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function stringField(body: unknown, name: string, maxLength = 512): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new ConsoleError(400, 'ValidationError', `${name} is required.`);
  }
  return value;
}

function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function describeIdentity(caller: Caller, alias: string | null) {
  const account = alias ?? caller.accountId;
  return {
    kind: caller.kind,
    accountId: caller.accountId,
    accountAlias: alias,
    arn: caller.arn,
    userName: caller.name ?? null,
    // The navigation bar's label: `UserName@alias-or-id`, or just the account for the root user.
    displayName: caller.kind === 'root' ? account : `${caller.name ?? caller.userId}@${account}`,
    mfaAuthenticated: caller.mfaAuthenticated === true,
  };
}

/**
 * Mounts the console's endpoints under `/console/api`. `deps` may be a function, read on every request,
 * so that a server which swaps its store (`POST /_bursar/reset`) keeps one set of routes.
 */
export async function registerConsoleRoutes(
  app: FastifyInstance,
  deps: ConsoleDeps | (() => ConsoleDeps),
): Promise<void> {
  await app.register(async (scope) => consoleApi(scope, typeof deps === 'function' ? deps : () => deps), {
    prefix: '/console/api',
  });
}

async function consoleApi(app: FastifyInstance, depsOf: () => ConsoleDeps): Promise<void> {
  const sessions = () => {
    const deps = depsOf();
    return new SessionStore(deps.db, deps.clock, deps.ids, deps.lifetimes);
  };
  const throttle = () => {
    const deps = depsOf();
    return new SigninThrottle(deps.db, deps.clock, deps.throttle);
  };

  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
  app.decorateRequest('consoleSession', null);

  const cookieOptions = (request: FastifyRequest) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
  });

  const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, session: Session) => {
    reply.setCookie(SESSION_COOKIE, session.id, { ...cookieOptions(request), expires: session.expiresAt });
  };

  const factsOf = (request: FastifyRequest): RequestFacts => ({
    requestId: requestId(depsOf().ids),
    sourceIp: request.ip,
    userAgent: request.headers['user-agent'] ?? '',
    now: depsOf().clock.now(),
    via: 'console',
  });

  app.addHook('onRequest', async (request) => {
    request.consoleSession = await sessions().find(request.cookies[SESSION_COOKIE]);
  });

  // Every state change carries the session's synchronizer token in a header; a cross-site form cannot.
  app.addHook('preHandler', async (request, reply) => {
    if (!STATE_CHANGING.has(request.method)) return;
    const session = request.consoleSession;
    if (session === null || !sameToken(session.csrfToken, request.headers[CSRF_HEADER])) {
      return reply.code(403).send({ code: 'InvalidCsrfToken', message: 'Missing or invalid CSRF token.' });
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ConsoleError || error instanceof ServiceError) {
      const status = error instanceof ConsoleError ? error.status : error.status;
      return reply.code(status).send({ code: error.code, message: error.message });
    }
    const fastifyStatus = (error as { statusCode?: number }).statusCode;
    if (fastifyStatus !== undefined && fastifyStatus < 500) {
      return reply.code(fastifyStatus).send({ code: 'ValidationError', message: (error as Error).message });
    }
    depsOf().logger.error('console request failed', { url: request.url, error: String(error) });
    return reply.code(500).send({ code: 'InternalFailure', message: 'The request processing has failed.' });
  });

  const sessionView = async (request: FastifyRequest, session: Session) => {
    const principal = session.state === 'anonymous' ? null : session.principal;
    const alias = principal === null ? null : await depsOf().accounts.accountAlias(principal.caller.accountId);
    return {
      state: session.state,
      csrfToken: session.csrfToken,
      identity: principal === null ? null : describeIdentity(principal.caller, alias),
      rememberedAccount: request.cookies[REMEMBERED_ACCOUNT_COOKIE] ?? null,
    };
  };

  /** Moves a session on after a correct password: to the MFA step, the password change, or signed in. */
  const advance = async (request: FastifyRequest, reply: FastifyReply, match: PasswordMatch) => {
    const next = match.hasMfaDevice ? 'mfa' : match.passwordResetRequired ? 'password-change' : 'active';
    const session = await sessions().replace(request.consoleSession, next, {
      caller: match.caller,
      passwordResetRequired: match.passwordResetRequired,
    });
    setSessionCookie(request, reply, session);
    return sessionView(request, session);
  };

  const attemptSignIn = async (
    request: FastifyRequest,
    keys: ThrottleKeys,
    check: () => Promise<PasswordMatch | null>,
  ): Promise<PasswordMatch> => {
    if (await throttle().isBlocked(keys)) throw new ConsoleError(429, 'Throttling', SIGNIN_THROTTLED);
    const match = await check();
    if (match === null) {
      await throttle().recordFailure(keys);
      depsOf().logger.info('console sign-in failed', { principal: keys.principal, ip: request.ip });
      throw new ConsoleError(401, 'AuthFailure', SIGNIN_FAILED);
    }
    await throttle().recordSuccess(keys);
    return match;
  };

  app.get('/session', async (request, reply) => {
    let session = request.consoleSession;
    if (session === null) {
      session = await sessions().create('anonymous', null);
      setSessionCookie(request, reply, session);
    }
    return sessionView(request, session);
  });

  app.post('/signup', async (request, reply) => {
    const email = stringField(request.body, 'email', 254);
    const password = stringField(request.body, 'password', 128);
    const accountName = stringField(request.body, 'accountName', 50);
    await depsOf().accounts.signUp({ email, password, accountName }, factsOf(request));
    // A new account's owner lands in the console signed in as its root user.
    const match = await depsOf().accounts.authenticateRoot(email, password, depsOf().clock.now());
    if (match === null) throw new ConsoleError(500, 'InternalFailure', 'The new account could not sign in.');
    return advance(request, reply, match);
  });

  app.post('/signin/root', async (request, reply) => {
    const email = stringField(request.body, 'email', 254);
    const password = stringField(request.body, 'password', 128);
    const keys = { principal: `root:${email.toLowerCase()}`, address: `ip:${request.ip}` };
    const match = await attemptSignIn(request, keys, () =>
      depsOf().accounts.authenticateRoot(email, password, depsOf().clock.now()),
    );
    return advance(request, reply, match);
  });

  app.post('/signin/iam', async (request, reply) => {
    const account = stringField(request.body, 'account', 63).trim();
    const userName = stringField(request.body, 'userName', 64);
    const password = stringField(request.body, 'password', 128);
    const keys = { principal: `user:${account.toLowerCase()}/${userName.toLowerCase()}`, address: `ip:${request.ip}` };
    const match = await attemptSignIn(request, keys, () =>
      depsOf().accounts.authenticateUser(account, userName, password, depsOf().clock.now()),
    );
    reply.setCookie(REMEMBERED_ACCOUNT_COOKIE, account, {
      ...cookieOptions(request),
      maxAge: 90 * 24 * 60 * 60,
    });
    return advance(request, reply, match);
  });

  app.post('/signin/mfa', async (request, reply) => {
    const session = request.consoleSession;
    if (session === null || session.state !== 'mfa' || session.principal === null) {
      throw new ConsoleError(400, 'InvalidState', 'Sign in with your password first.');
    }
    const code = stringField(request.body, 'code', 6);
    const caller = session.principal.caller;
    const keys = { principal: `mfa:${caller.arn}`, address: `ip:${request.ip}` };
    await attemptSignIn(request, keys, async () =>
      /^\d{6}$/.test(code) && (await depsOf().accounts.verifyMfaCode(caller, code, depsOf().clock.now()))
        ? { caller, passwordResetRequired: session.principal?.passwordResetRequired === true, hasMfaDevice: true }
        : null,
    );
    const next = session.principal.passwordResetRequired === true ? 'password-change' : 'active';
    const upgraded = await sessions().replace(session, next, { caller: { ...caller, mfaAuthenticated: true } });
    setSessionCookie(request, reply, upgraded);
    return sessionView(request, upgraded);
  });

  // The first-sign-in password change goes through iam:ChangePassword like any other, as the user.
  app.post('/change-password', async (request, reply) => {
    const session = request.consoleSession;
    if (session === null || session.principal === null || !['password-change', 'active'].includes(session.state)) {
      throw new ConsoleError(401, 'NotSignedIn', 'Sign in first.');
    }
    const oldPassword = stringField(request.body, 'oldPassword', 128);
    const newPassword = stringField(request.body, 'newPassword', 128);
    const caller = session.principal.caller;
    await depsOf().invoke(caller, factsOf(request), 'iam', 'ChangePassword', {
      OldPassword: oldPassword,
      NewPassword: newPassword,
    });
    const upgraded = await sessions().replace(session, 'active', { caller });
    setSessionCookie(request, reply, upgraded);
    return sessionView(request, upgraded);
  });

  app.post('/signout', async (request, reply) => {
    if (request.consoleSession !== null) await sessions().delete(request.consoleSession.id);
    const fresh = await sessions().create('anonymous', null);
    setSessionCookie(request, reply, fresh);
    return sessionView(request, fresh);
  });

  // "Sign in to a different account" forgets the remembered account.
  app.post('/forget-account', async (request, reply) => {
    reply.clearCookie(REMEMBERED_ACCOUNT_COOKIE, { path: '/' });
    const session = request.consoleSession!;
    return { ...(await sessionView(request, session)), rememberedAccount: null };
  });

  app.post('/call', async (request) => {
    const session = request.consoleSession;
    if (session === null || session.state !== 'active' || session.principal === null) {
      throw new ConsoleError(401, 'NotSignedIn', 'Your session has ended. Sign in again.');
    }
    const body = request.body as Record<string, unknown> | undefined;
    const service = stringField(body, 'service', 64);
    const operation = stringField(body, 'operation', 128);
    const input = body?.input ?? {};
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new ConsoleError(400, 'ValidationError', 'input must be an object.');
    }
    return depsOf().invoke(
      session.principal.caller,
      factsOf(request),
      service,
      operation,
      input as Record<string, unknown>,
    );
  });
}
