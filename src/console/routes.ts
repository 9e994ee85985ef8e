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
import { ServiceError } from '../core/errors.js';
import { AccessDeniedError } from '../operations/invoke.js';
import type { Caller, RequestFacts } from '../core/operation.js';
import type { Clock } from '../platform/clock.js';
import { requestId, type IdSource } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import type { Database } from '../store/schema.js';
import type { ConsoleAccounts, Invoke, PasswordMatch } from './ports.js';
import { SessionStore, type Session, type SessionLifetimes, type StoredSessionState } from './sessions.js';
import { DEFAULT_THROTTLE, SigninThrottle, type ThrottleLimits } from './signin-throttle.js';

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
/** A visitor who has not signed in: the CSRF token of the sign-in and sign-up forms (double-submit; nothing stored). */
export const CSRF_COOKIE = 'bursar-console-csrf';
/** The sign-in page's memory of the last account an IAM user signed in to (as AWS's sign-in page does). */
export const REMEMBERED_ACCOUNT_COOKIE = 'bursar-signin-account';
export const CSRF_HEADER = 'x-csrf-token';

/** AWS's sign-in page says this for a wrong account, user, password or MFA code alike. */
export const SIGNIN_FAILED = 'Your authentication information is incorrect. Please try again.';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Bodies of the forms (sign-in, sign-up, MFA, password change, sign-out): a few short strings. A body
 * larger or deeper than this is refused before it is parsed, so an anonymous request costs little.
 */
export const FORM_BODY_LIMIT = 4 * 1024;
const FORM_JSON_DEPTH = 4;
/** `POST /console/api/call` carries cost-data uploads (7 MiB of file, base64 in JSON); only a signed-in session gets this far. */
export const CALL_BODY_LIMIT = 10 * 1024 * 1024;
const CALL_JSON_DEPTH = 32;

interface ConsoleRouteConfig {
  /** The session states that may use the route, checked before the body is read; absent: anyone. */
  sessionStates?: readonly StoredSessionState[];
  /** What a request in another state is told. */
  refusal?: ConsoleError;
  maxJsonDepth?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession: Session | null;
  }
  interface FastifyContextConfig {
    console?: ConsoleRouteConfig;
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

/** Whether JSON text nests arrays and objects deeper than `max`: one linear pass, before any parsing. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
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
  const throttle = () => new SigninThrottle(depsOf().db, depsOf().clock);
  const limits = () => depsOf().throttle ?? DEFAULT_THROTTLE;

  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
  app.decorateRequest('consoleSession', null);

  // JSON nested deeper than the route allows is refused by a linear scan, before JSON.parse.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const maxDepth = request.routeOptions.config.console?.maxJsonDepth ?? FORM_JSON_DEPTH;
    if (jsonNestsDeeperThan(body as string, maxDepth)) {
      done(new ConsoleError(400, 'ValidationError', `The request body nests deeper than ${maxDepth} levels.`));
      return;
    }
    parseJson(request, body as string, done);
  });

  const cookieOptions = (request: FastifyRequest) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
  });

  const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, session: Session) => {
    reply.setCookie(SESSION_COOKIE, session.id, { ...cookieOptions(request), expires: session.expiresAt });
  };

  /** The CSRF token of a visitor without a session: the cookie's value, set afresh when missing or `renew`. */
  const anonymousCsrfToken = (request: FastifyRequest, reply: FastifyReply, renew = false) => {
    const current = request.cookies[CSRF_COOKIE];
    if (!renew && current !== undefined && current !== '') return current;
    const token = depsOf().ids.bytes(32).toString('base64url');
    reply.setCookie(CSRF_COOKIE, token, cookieOptions(request));
    return token;
  };

  const factsOf = (request: FastifyRequest): RequestFacts => ({
    requestId: requestId(depsOf().ids),
    sourceIp: request.ip,
    userAgent: request.headers['user-agent'] ?? '',
    now: depsOf().clock.now(),
    via: 'console',
  });

  // Everything that needs no body is decided here, before the body is read: the session, the CSRF token
  // (a session's synchronizer token, or for a visitor the double-submit cookie; a cross-site form can
  // send neither header) and the session state the route needs. Only then is a body parsed.
  app.addHook('onRequest', async (request, reply) => {
    request.consoleSession = await sessions().find(request.cookies[SESSION_COOKIE]);
    // Answers carry CSRF tokens and account data: never cached, never sniffed into something executable.
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    if (!STATE_CHANGING.has(request.method)) return;
    const session = request.consoleSession;
    const expected = session?.csrfToken ?? request.cookies[CSRF_COOKIE];
    if (expected === undefined || expected === '' || !sameToken(expected, request.headers[CSRF_HEADER])) {
      return reply.code(403).send({ code: 'InvalidCsrfToken', message: 'Missing or invalid CSRF token.' });
    }
    const route = request.routeOptions.config.console;
    if (route?.sessionStates !== undefined && (session === null || !route.sessionStates.includes(session.state))) {
      const refusal = route.refusal ?? new ConsoleError(401, 'NotSignedIn', 'Sign in first.');
      return reply.code(refusal.status).send({ code: refusal.code, message: refusal.message });
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ConsoleError || error instanceof ServiceError) {
      const status = error instanceof ConsoleError ? error.status : error.status;
      // A policy denial's encoded authorization message, for STS DecodeAuthorizationMessage.
      const encoded =
        error instanceof AccessDeniedError && error.encodedMessage !== undefined
          ? { encodedMessage: error.encodedMessage }
          : {};
      return reply.code(status).send({ code: error.code, message: error.message, ...encoded });
    }
    const fastifyError = error as { statusCode?: number; code?: string };
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? FORM_BODY_LIMIT;
      return reply
        .code(413)
        .send({ code: 'RequestEntityTooLarge', message: `The request body is larger than ${limit} bytes.` });
    }
    if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
      return reply.code(fastifyError.statusCode).send({ code: 'ValidationError', message: (error as Error).message });
    }
    depsOf().logger.error('console request failed', { url: request.url, error: String(error) });
    return reply.code(500).send({ code: 'InternalFailure', message: 'The request processing has failed.' });
  });

  const sessionView = async (request: FastifyRequest, reply: FastifyReply, session: Session | null, renew = false) => {
    if (session === null) {
      return {
        state: 'anonymous' as const,
        csrfToken: anonymousCsrfToken(request, reply, renew),
        identity: null,
        rememberedAccount: request.cookies[REMEMBERED_ACCOUNT_COOKIE] ?? null,
      };
    }
    const alias = await depsOf().accounts.accountAlias(session.principal.caller.accountId);
    return {
      state: session.state,
      csrfToken: session.csrfToken,
      identity: describeIdentity(session.principal.caller, alias),
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
    return sessionView(request, reply, session);
  };

  const throttled = (reply: FastifyReply, waitMs: number, what: string) => {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    reply.header('retry-after', String(seconds));
    return new ConsoleError(
      429,
      'Throttling',
      `Too many ${what}. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    );
  };

  /**
   * One sign-in attempt: reserved against the source address, then against the principal, before the
   * password is checked (so concurrent guesses are counted, and a waiting key checks nothing). A correct
   * password wipes the principal's slate and gives the address its attempt back.
   */
  const attemptSignIn = async (
    request: FastifyRequest,
    reply: FastifyReply,
    principalKey: string,
    check: () => Promise<PasswordMatch | null>,
  ): Promise<PasswordMatch> => {
    const addressKey = `ip:${request.ip}`;
    const wait =
      (await throttle().reserve(addressKey, limits().address)) ||
      (await throttle().reserve(principalKey, limits().principal));
    if (wait > 0) {
      depsOf().logger.info('console sign-in throttled', { principal: principalKey, ip: request.ip, waitMs: wait });
      throw throttled(reply, wait, 'failed sign-in attempts');
    }
    const match = await check();
    if (match === null) {
      depsOf().logger.info('console sign-in failed', { principal: principalKey, ip: request.ip });
      throw new ConsoleError(401, 'AuthFailure', SIGNIN_FAILED);
    }
    await throttle().forgive(principalKey);
    await throttle().refund(addressKey);
    return match;
  };

  const form = { bodyLimit: FORM_BODY_LIMIT };
  const signedIn = (states: readonly StoredSessionState[], refusal: ConsoleError) => ({
    ...form,
    config: { console: { sessionStates: states, refusal } },
  });

  // Looking costs nothing: a visitor without a session gets a CSRF cookie, and no row is stored.
  app.get('/session', async (request, reply) => sessionView(request, reply, request.consoleSession));

  app.post('/signup', form, async (request, reply) => {
    const email = stringField(request.body, 'email', 254);
    const password = stringField(request.body, 'password', 128);
    const accountName = stringField(request.body, 'accountName', 50);
    const wait = await throttle().reserve(`signup:${request.ip}`, limits().signUp);
    if (wait > 0) throw throttled(reply, wait, 'accounts created from your address');
    await depsOf().accounts.signUp({ email, password, accountName }, factsOf(request));
    // A new account's owner lands in the console signed in as its root user.
    const match = await depsOf().accounts.authenticateRoot(email, password, depsOf().clock.now());
    if (match === null) throw new ConsoleError(500, 'InternalFailure', 'The new account could not sign in.');
    return advance(request, reply, match);
  });

  app.post('/signin/root', form, async (request, reply) => {
    const email = stringField(request.body, 'email', 254);
    const password = stringField(request.body, 'password', 128);
    // The account service finds the root user by the trimmed, case-folded email: so does the throttle.
    const principalKey = `root:${email.trim().toLowerCase()}`;
    const match = await attemptSignIn(request, reply, principalKey, () =>
      depsOf().accounts.authenticateRoot(email, password, depsOf().clock.now()),
    );
    return advance(request, reply, match);
  });

  app.post('/signin/iam', form, async (request, reply) => {
    const account = stringField(request.body, 'account', 63).trim();
    const userName = stringField(request.body, 'userName', 64);
    const password = stringField(request.body, 'password', 128);
    // An account named by id or by alias is one principal; an unknown name is throttled as itself.
    const accountId = (await depsOf().accounts.accountIdFor(account)) ?? `unknown:${account.toLowerCase()}`;
    const principalKey = `user:${accountId}/${userName.trim().toLowerCase()}`;
    const match = await attemptSignIn(request, reply, principalKey, () =>
      depsOf().accounts.authenticateUser(account, userName, password, depsOf().clock.now()),
    );
    reply.setCookie(REMEMBERED_ACCOUNT_COOKIE, account, {
      ...cookieOptions(request),
      maxAge: 90 * 24 * 60 * 60,
    });
    return advance(request, reply, match);
  });

  app.post(
    '/signin/mfa',
    signedIn(['mfa'], new ConsoleError(400, 'InvalidState', 'Sign in with your password first.')),
    async (request, reply) => {
      const session = request.consoleSession!;
      const code = stringField(request.body, 'code', 6);
      const caller = session.principal.caller;
      await attemptSignIn(request, reply, `mfa:${caller.arn}`, async () =>
        /^\d{6}$/.test(code) && (await depsOf().accounts.verifyMfaCode(caller, code, depsOf().clock.now()))
          ? { caller, passwordResetRequired: session.principal.passwordResetRequired === true, hasMfaDevice: true }
          : null,
      );
      const next = session.principal.passwordResetRequired === true ? 'password-change' : 'active';
      const upgraded = await sessions().replace(session, next, { caller: { ...caller, mfaAuthenticated: true } });
      setSessionCookie(request, reply, upgraded);
      return sessionView(request, reply, upgraded);
    },
  );

  // The first-sign-in password change goes through iam:ChangePassword like any other, as the user.
  app.post(
    '/change-password',
    signedIn(['password-change', 'active'], new ConsoleError(401, 'NotSignedIn', 'Sign in first.')),
    async (request, reply) => {
      const session = request.consoleSession!;
      const oldPassword = stringField(request.body, 'oldPassword', 128);
      const newPassword = stringField(request.body, 'newPassword', 128);
      const caller = session.principal.caller;
      await depsOf().invoke(caller, factsOf(request), 'iam', 'ChangePassword', {
        OldPassword: oldPassword,
        NewPassword: newPassword,
      });
      const upgraded = await sessions().replace(session, 'active', { caller });
      setSessionCookie(request, reply, upgraded);
      return sessionView(request, reply, upgraded);
    },
  );

  app.post('/signout', form, async (request, reply) => {
    if (request.consoleSession !== null) await sessions().delete(request.consoleSession.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    // A fresh CSRF cookie too: nothing the signed-in page held is good afterwards.
    return sessionView(request, reply, null, true);
  });

  // "Sign in to a different account" forgets the remembered account.
  app.post('/forget-account', form, async (request, reply) => {
    reply.clearCookie(REMEMBERED_ACCOUNT_COOKIE, { path: '/' });
    return { ...(await sessionView(request, reply, request.consoleSession)), rememberedAccount: null };
  });

  app.post(
    '/call',
    {
      bodyLimit: CALL_BODY_LIMIT,
      config: {
        console: {
          sessionStates: ['active'],
          refusal: new ConsoleError(401, 'NotSignedIn', 'Your session has ended. Sign in again.'),
          maxJsonDepth: CALL_JSON_DEPTH,
        },
      },
    },
    async (request) => {
      const session = request.consoleSession!;
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
    },
  );
}
