/**
 * `bursar serve [--data-dir DIR] [--port N] [--host H] [--ephemeral [--scenario FILE]] [--drain-seconds N]`: runs
 * the server until SIGTERM or SIGINT, then drains (see BursarServer.close) and closes the store. Flags override
 * BURSAR_* variables. With --scenario the ephemeral store starts with the scenario applied (through the public
 * APIs, as `bursar scenario apply` does), and every `POST /_bursar/reset` applies it again.
 */
import { parseArgs } from 'node:util';
import { configFromEnv, parseDrainSeconds, parsePort } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import type { BootstrapResult } from '../server/bootstrap.js';
import { createServer } from '../server/create-server.js';
import { applyScenario } from '../scenario/apply.js';
import { formatErrors, loadScenario, type Scenario } from '../scenario/scenario.js';
import { clientsFor } from '../scenario/target.js';

const USAGE = `usage: bursar serve [--data-dir DIR] [--port N] [--host HOST] [--ephemeral [--scenario FILE]] [--trust-proxy]
                    [--drain-seconds N]

  --data-dir DIR   where the SQLite store lives (default ./data; BURSAR_DATA_DIR)
  --port N         port to listen on (default 4566; BURSAR_PORT)
  --host HOST      address to bind (default 127.0.0.1; BURSAR_HOST)
  --ephemeral      in-memory store, nothing written to disk; enables POST /_bursar/reset
  --scenario FILE  (with --ephemeral) start with the scenario applied; POST /_bursar/reset returns to it
  --trust-proxy    behind one reverse proxy: the client address and protocol come from its
                   X-Forwarded-For / X-Forwarded-Proto (BURSAR_TRUST_PROXY=1); without it they are ignored
  --drain-seconds N  on SIGTERM/SIGINT, how long in-flight requests may finish (default 10; BURSAR_DRAIN_SECONDS)
BURSAR_DATABASE_URL=postgres://… selects PostgreSQL instead of SQLite.
BURSAR_MASTER_KEY (32 bytes, base64 or hex) seals secrets at rest; without it DIR/master.key is made on
first start. Every server on one PostgreSQL store needs the same key (docs/security.md).
BURSAR_TEST_OIDC_ISSUER=1 serves a TEST OpenID Connect issuer at /_bursar/test-oidc (anyone reaching the
server can mint tokens: CI only); BURSAR_OIDC_ALLOW_HTTP_LOOPBACK=1 accepts http:// issuers on loopback
hosts (docs/federation.md).
`;

function firstStartBanner(url: string, created: BootstrapResult, region: string): string {
  return [
    '',
    'Created the demo account on first start.',
    `  Console sign-in:  ${url}/console/   (root user)`,
    `    email:     ${created.rootEmail}`,
    `    password:  ${created.rootPassword}`,
    `  Account id:  ${created.accountId}`,
    '  Root access key for the AWS CLI and SDKs:',
    `    export AWS_ACCESS_KEY_ID=${created.accessKeyId}`,
    `    export AWS_SECRET_ACCESS_KEY=${created.secretAccessKey}`,
    `    export AWS_DEFAULT_REGION=${region}`,
    `    aws --endpoint-url ${url} iam list-users`,
    'These are shown once; keep them.',
    '',
  ].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        ephemeral: { type: 'boolean' },
        scenario: { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        'drain-seconds': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`bursar serve: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let config;
  let drainSeconds;
  try {
    config = configFromEnv();
    drainSeconds =
      values['drain-seconds'] === undefined ? config.drainSeconds : parseDrainSeconds(values['drain-seconds']);
  } catch (error) {
    process.stderr.write(`bursar serve: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const logger = createLogger(config.logLevel);
  const ephemeral = values.ephemeral === true || config.ephemeral;
  let scenario: Scenario | undefined;
  if (values.scenario !== undefined) {
    if (!ephemeral) {
      process.stderr.write(`bursar serve: --scenario needs --ephemeral (a reset returns to it)\n\n${USAGE}`);
      return 2;
    }
    const loaded = await loadScenario(values.scenario);
    if (!loaded.ok) {
      process.stderr.write(formatErrors(values.scenario, loaded.errors));
      return 2;
    }
    scenario = loaded.scenario;
  }
  let url = '';
  /** Applies the scenario as the fresh account's root user, whose key the bootstrap just made. */
  const applyTo = async (created: BootstrapResult | null) => {
    if (scenario === undefined || created === null) return;
    const clients = clientsFor({
      endpoint: url,
      region: config.region,
      credentials: { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey },
    });
    const steps = await applyScenario(scenario, clients);
    logger.info('scenario applied', { file: values.scenario, changes: steps.length });
  };
  const server = await createServer({
    host: values.host ?? config.host,
    port: values.port === undefined ? config.port : parsePort(values.port),
    dataDir: values['data-dir'] ?? config.dataDir,
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
    ephemeral,
    ...(config.masterKey === undefined ? {} : { masterKey: config.masterKey }),
    trustProxy: values['trust-proxy'] === true || config.trustProxy,
    region: config.region,
    bootstrap: config.bootstrap,
    logger,
    // A persistent first start gets a year of demo costs; an ephemeral store starts empty (CI imports its own).
    demoCosts: !ephemeral,
    drainMs: drainSeconds * 1000,
    allowHttpLoopbackIssuers: config.allowHttpLoopbackIssuers,
    testOidcIssuer: config.testOidcIssuer,
    costs: config.costs,
    exports: config.exports,
    onReset: applyTo,
  });
  url = server.url;
  if (scenario !== undefined) {
    await applyTo(server.bootstrap);
    process.stdout.write(`Scenario: applied ${values.scenario}\n`);
  }

  const { database, migrations } = server;
  process.stdout.write(`Store: ${database.dialect} at ${database.location}\n`);
  process.stdout.write(
    migrations.applied.length === 0
      ? `Migrations: up to date (${migrations.alreadyApplied} applied earlier)\n`
      : `Migrations: applied ${migrations.applied.join(', ')} (${migrations.alreadyApplied} applied earlier)\n`,
  );
  process.stdout.write(
    `Master key: ${server.secretsAtRest.origin}${server.secretsAtRest.sealed > 0 ? ` (sealed ${server.secretsAtRest.sealed} plaintext secrets)` : ''}\n`,
  );
  if (server.bootstrap !== null) process.stdout.write(firstStartBanner(server.url, server.bootstrap, config.region));
  process.stdout.write(
    `Bursar listening on ${server.url}${ephemeral ? ` (ephemeral: POST /_bursar/reset restores the bootstrap state${scenario === undefined ? '' : ' and the scenario'})` : ''}\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`${signal}: finishing in-flight requests and closing the store…\n`);
      server.close().then(resolve, (error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  process.stdout.write('Stopped.\n');
  return 0;
}
