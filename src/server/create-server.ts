/**
 * The Bursar server: one Fastify instance on one port serving every AWS API (routed by the SigV4
 * credential scope), the console's endpoints, `GET /_bursar/health`, and in ephemeral mode
 * `POST /_bursar/reset`. Tests start it on port 0.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serviceModels } from '../models/services/index.js';
import type { ApiRequest } from '../api/handler.js';
import { REQUEST_LIMITS, requestTooLarge } from '../models/limits.js';
import { ServiceError } from '../core/errors.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { DEFAULT_DRAIN_SECONDS, DEFAULT_HOST, DEFAULT_REGION, type BootstrapConfig } from '../platform/config.js';
import { cryptoIdSource, type IdSource } from '../platform/ids.js';
import { silentLogger, type Logger } from '../platform/logger.js';
import { loadMasterKey } from '../platform/secrets.js';
import { removeOrphanedTempDirs } from '../platform/temp-dirs.js';
import { openDatabase, type MigrationReport, type OpenedDatabase } from '../store/database.js';
import { registerConsoleRoutes } from '../console/routes.js';
import { registerConsoleStatic } from '../console/static.js';
import { registerInvoiceDocuments } from '../operations/bills/invoice-documents.js';
import { seedDemoCosts } from '../billing/costs/demo-seed.js';
import { bootstrapDemoAccount, DEMO_ACCOUNT_NAME, type BootstrapResult } from './bootstrap.js';
import { prepareSecretsAtRest } from './secrets-at-rest.js';
import { buildWorld, type World } from './world.js';
import { registerTestOidcIssuer } from './test-oidc-issuer.js';
import { configuredBlobStore } from '../billing/billing.js';
import type { CostConfig, ExportConfig } from '../platform/config.js';
import { configuredExportDestination } from '../billing/reports/export-delivery.js';
import type { AccountRule } from '../core/access.js';

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dataDir?: string;
  /** `postgres://…` selects PostgreSQL. */
  databaseUrl?: string;
  /** In-memory SQLite: nothing written to disk; enables `POST /_bursar/reset`. */
  ephemeral?: boolean;
  /**
   * The master key sealing secrets at rest (`BURSAR_MASTER_KEY`: 32 bytes, base64 or hex). Without it:
   * `<dataDir>/master.key`, made on first start; in ephemeral mode a random key for the process.
   */
  masterKey?: string;
  region?: string;
  bootstrap?: BootstrapConfig;
  clock?: Clock;
  ids?: IdSource;
  logger?: Logger;
  passwordHashCost?: number;
  accountRules?: AccountRule[];
  /**
   * Behind a reverse proxy: take the client's address and protocol from the `X-Forwarded-For` and
   * `X-Forwarded-Proto` the proxy directly in front sets (one hop is trusted). Off by default, when those
   * headers are ignored, since anyone could send them. The address feeds the audit trail and the sign-in
   * throttle; the protocol decides the console cookies' `Secure` flag.
   */
  trustProxy?: boolean;
  /**
   * Give the demo account a year of generated costs when the first start creates it, so a fresh
   * `bursar serve` shows a populated Billing console. Off by default (tests and `--ephemeral` resets stay fast).
   */
  demoCosts?: boolean;
  /** How long close() lets in-flight requests finish before it closes their connections (default 10 s). */
  drainMs?: number;
  /**
   * Accept `http://` OpenID Connect issuers on a loopback host (AWS accepts only https): for test issuers on
   * the same machine (BURSAR_OIDC_ALLOW_HTTP_LOOPBACK=1). Off by default.
   */
  allowHttpLoopbackIssuers?: boolean;
  /** Serve the TEST OIDC issuer at /_bursar/test-oidc (test-oidc-issuer.ts; BURSAR_TEST_OIDC_ISSUER=1). Off by default. */
  testOidcIssuer?: boolean;
  /** Where cost parts live (default `<dataDir>/cost-parts`; ephemeral: a temporary directory) and DuckDB's cap. */
  costs?: CostConfig;
  /** Where exports deliver files (default `<dataDir>/exports`; ephemeral: a temporary directory). */
  exports?: ExportConfig;
  /**
   * How often the export scheduler claims each export's daily run (default hourly; 0: no scheduler). Of several
   * servers over one store, one runs each day's run of an export.
   */
  exportScheduleMs?: number;
  /**
   * Ephemeral mode: runs once `POST /_bursar/reset` has put the fresh store in place, before the reset answers,
   * with what the fresh start created (`bursar serve --scenario` applies its scenario again).
   */
  onReset?: (created: BootstrapResult | null) => Promise<void>;
}

export interface BursarServer {
  app: FastifyInstance;
  /** `http://host:port` once listening. */
  url: string;
  port: number;
  /** What the first start created (null when the store already had accounts). */
  bootstrap: BootstrapResult | null;
  migrations: MigrationReport;
  database: OpenedDatabase;
  /** Where the master key came from (never the key), and how many plaintext secrets this start sealed. */
  secretsAtRest: { origin: string; sealed: number };
  world: () => World;
  /**
   * Graceful stop: refuse calls not yet started (ServiceUnavailable in the protocol's shape, which the SDKs
   * retry), stop accepting connections, answer in-flight requests with `Connection: close`, and after the
   * drain time close whatever connections remain; then close the store.
   */
  close: () => Promise<void>;
}

function toApiRequest(request: FastifyRequest): ApiRequest {
  const raw = request.raw.rawHeaders;
  const headers: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
  const url = request.raw.url ?? '/';
  const q = url.indexOf('?');
  return {
    method: request.method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers,
    body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    sourceIp: request.ip,
    secure: request.protocol === 'https',
  };
}

export async function createServer(options: ServerOptions = {}): Promise<BursarServer> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? cryptoIdSource;
  const logger = options.logger ?? silentLogger;
  const region = options.region ?? DEFAULT_REGION;
  const ephemeral = options.ephemeral === true;
  const bootstrapConfig = options.bootstrap ?? {};
  const drainMs = options.drainMs ?? DEFAULT_DRAIN_SECONDS * 1000;
  let draining = false;

  const open = () =>
    openDatabase({
      ...(options.databaseUrl === undefined || ephemeral ? {} : { url: options.databaseUrl }),
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ephemeral,
    });
  const masterKey = await loadMasterKey({
    ...(options.masterKey === undefined ? {} : { envKey: options.masterKey }),
    dataDir: options.dataDir ?? 'data',
    ephemeral,
  });
  // One blob store for the process: an ephemeral store's reset keeps nothing, so its parts stay temporary.
  const costBlobs = ephemeral ? undefined : configuredBlobStore(options.costs ?? {}, options.dataDir ?? 'data');
  const memoryLimit = options.costs?.memoryLimit;
  const exportDestination = configuredExportDestination(
    options.exports ?? {},
    ephemeral ? undefined : (options.dataDir ?? 'data'),
  );
  let sealedAtStart = 0;
  const makeWorld = async (database: OpenedDatabase) => {
    try {
      ({ sealed: sealedAtStart } = await prepareSecretsAtRest(
        database.db,
        masterKey.box,
        masterKey.origin,
        clock.now(),
      ));
    } catch (error) {
      await database.close();
      throw error;
    }
    const built = await buildWorld({
      secrets: masterKey.box,
      database,
      clock,
      ids,
      logger,
      region,
      ...(options.passwordHashCost === undefined ? {} : { passwordHashCost: options.passwordHashCost }),
      ...(options.accountRules === undefined ? {} : { accountRules: options.accountRules }),
      allowHttpLoopbackIssuers: options.allowHttpLoopbackIssuers === true,
      isDraining: () => draining,
      costs: {
        ...(costBlobs === undefined ? {} : { blobs: costBlobs }),
        ...(memoryLimit === undefined ? {} : { memoryLimit }),
      },
      exportDestination,
    });
    const created = await bootstrapDemoAccount(database, built.accounts, built.accessKeys, bootstrapConfig, ids);
    if (created !== null && options.demoCosts === true) {
      await seedDemoCosts(built.billing, {
        payer: { id: created.accountId, name: DEMO_ACCOUNT_NAME },
        now: clock.now(),
      });
    }
    return { built, created };
  };

  // Scratch directories of a killed server or import on this machine are removed before this one makes its own.
  for (const path of removeOrphanedTempDirs()) logger.info('removed an orphaned temporary directory', { path });
  const database = await open();
  const first = await makeWorld(database);
  let world = first.built;
  const bootstrap = first.created;

  // One trusted hop: the client is the address the proxy in front saw (the last X-Forwarded-For entry),
  // not whatever the client itself wrote further left.
  const trustOneProxy = (_address: string, hop: number) => hop < 1;
  /** The API's answer to a request Fastify refused while reading it, in the protocol shape its route speaks. */
  const refuse = async (request: FastifyRequest, reply: FastifyReply, error: Error & { statusCode?: number }) => {
    const status = error.statusCode ?? 500;
    // A chunked body declares no length: the refusal then names only the limit.
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    const refusal =
      status === 413
        ? requestTooLarge(Number.isInteger(declared) ? declared : undefined, REQUEST_LIMITS.uploadBodyBytes)
        : status < 500
          ? new ServiceError('MalformedHttpRequest', error.message, status)
          : new ServiceError('InternalFailure', 'We encountered an internal error. Please try again.');
    if (status >= 500) logger.error('API request failed while being read', { url: request.url, error: String(error) });
    const response = await world.handleApi({ ...toApiRequest(request), body: Buffer.alloc(0), refusal });
    return reply.status(response.status).headers(response.headers).send(response.body);
  };

  const app = Fastify({
    logger: false,
    bodyLimit: REQUEST_LIMITS.uploadBodyBytes,
    // A path that is not a valid URL (`/%`) is answered by the API like any unknown path, not by Fastify's JSON.
    frameworkErrors: (error, request, reply) => void refuse(request, reply, error),
    trustProxy: options.trustProxy === true ? trustOneProxy : false,
    // While closing, Fastify's own 503 would answer in a shape no AWS SDK parses; requests reach the routes
    // instead, where invoke() refuses them in the protocol's error shape.
    return503OnClosing: false,
  });
  // Every answer's Date is the clock SigV4's skew check uses (Node would send the machine's): SDKs correct
  // their signing time from it, as they do against AWS, so a client never chases a clock it cannot see.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('date', clock.now().toUTCString());
  });
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('connection', 'close');
  });

  app.get('/_bursar/health', async (_request, reply) =>
    draining ? reply.status(503).send({ status: 'draining' }) : { status: 'ok' },
  );

  if (ephemeral) {
    // Only an in-memory store may be wiped: a fresh world replaces the old one, whose store is closed.
    app.post('/_bursar/reset', async () => {
      const previous = world;
      const fresh = await makeWorld(await open());
      world = fresh.built;
      await previous.exportDeliveries.idle();
      // The old world's cost engine goes with its store: its DuckDB and scratch files would otherwise stay for
      // the process's life, one more with every reset.
      await previous.billing.close();
      await previous.database.close();
      await options.onReset?.(fresh.created);
      return { status: 'reset', accountId: fresh.created?.accountId ?? null };
    });
  }

  await app.register(async (api) => {
    // The APIs verify signatures over the exact bytes received, so bodies stay raw here.
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      const apiRequest = toApiRequest(request);
      // A browser opening the server's root (no signature, no Action) is sent to the console.
      if (
        apiRequest.method === 'GET' &&
        apiRequest.path === '/' &&
        apiRequest.query === '' &&
        request.headers.authorization === undefined
      ) {
        return reply.redirect('/console/');
      }
      const response = await world.handleApi(apiRequest);
      return reply.status(response.status).headers(response.headers).send(response.body);
    };
    api.route({ method: ['GET', 'POST'], url: '/', handler: handle });
    // Whatever Fastify would answer itself (no such route, a body over its limit) is answered by the API
    // handler in the protocol's error shape; the console's paths keep the console's `{code, message}`.
    api.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => refuse(request, reply, error));
    api.setNotFoundHandler(async (request, reply) => {
      if (request.url === '/console' || request.url.startsWith('/console/')) {
        return reply.code(404).send({
          code: 'NotFound',
          message: 'No such console resource.',
        });
      }
      return handle(request, reply);
    });
    const restPaths = new Set<string>();
    for (const model of Object.values(serviceModels)) {
      if (model.metadata.protocol !== 'rest-json') continue;
      for (const operation of Object.values(model.operations)) {
        if (operation.http !== undefined) restPaths.add(`${operation.http.method} ${operation.http.requestUri}`);
      }
    }
    for (const entry of restPaths) {
      const [method, url] = entry.split(' ') as [string, string];
      api.route({ method: method as 'POST', url, handler: handle });
    }
  });

  registerInvoiceDocuments(app, () => ({ billing: world.billing, clock }));
  if (options.testOidcIssuer === true) registerTestOidcIssuer(app, clock);

  // The console's routes read the current world on every request, so a reset store is picked up.
  await registerConsoleStatic(app);
  await registerConsoleRoutes(app, () => ({
    db: world.database.db,
    clock,
    ids,
    logger,
    accounts: world.consoleAccounts,
    invoke: world.invoke,
  }));

  await app.listen({ host: options.host ?? DEFAULT_HOST, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  const host = options.host ?? DEFAULT_HOST;

  // The export scheduler: each tick claims, in the store, today's run of every export that has none.
  const scheduleMs = options.exportScheduleMs ?? 3_600_000;
  const tick = () =>
    void world.exportDeliveries.runDue().catch((error: unknown) => {
      logger.error('export scheduler tick failed', { error: String(error) });
    });
  const scheduler = scheduleMs > 0 ? setInterval(tick, scheduleMs) : undefined;
  scheduler?.unref();

  let closing: Promise<void> | undefined;
  return {
    app,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    bootstrap,
    migrations: database.migrations,
    database,
    secretsAtRest: { origin: masterKey.origin, sealed: sealedAtStart },
    world: () => world,
    close: () => {
      closing ??= (async () => {
        draining = true;
        clearInterval(scheduler);
        let forceClose: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((resolve) => {
          forceClose = setTimeout(() => {
            app.server.closeAllConnections();
            resolve();
          }, drainMs);
        });
        try {
          // Stops accepting and closes idle kept-alive connections; resolves once no connection is left. A call
          // whose client went away still runs: the store stays open until it ends, or the drain time does.
          await app.close();
          await Promise.race([world.whenIdle(), deadline]);
        } finally {
          clearTimeout(forceClose);
        }
        // An execution that started writes its status before the store closes; then, with no request left, the
        // cost engine (its DuckDB and temporary files) goes too.
        await world.exportDeliveries.idle();
        await world.billing.close();
        await world.database.close();
      })();
      return closing;
    },
  };
}
