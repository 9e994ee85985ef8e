/**
 * Server configuration from the environment (flags on `bursar serve` override it). The default port 4566
 * is the one local AWS emulators conventionally use, so existing `--endpoint-url` habits carry over.
 */
import { join } from 'node:path';
import type { LogLevel } from './logger.js';

export const DEFAULT_PORT = 4566;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_REGION = 'us-east-1';
/** How long a stopping server lets in-flight requests finish before it closes their connections. */
export const DEFAULT_DRAIN_SECONDS = 10;

export interface BootstrapConfig {
  accountId?: string;
  rootEmail?: string;
  rootPassword?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface Config {
  host: string;
  port: number;
  /** Where the SQLite file lives; ignored with a PostgreSQL URL or in ephemeral mode. */
  dataDir: string;
  /** `postgres://…` selects PostgreSQL. */
  databaseUrl?: string;
  ephemeral: boolean;
  region: string;
  logLevel: LogLevel;
  bootstrap: BootstrapConfig;
  /** `BURSAR_MASTER_KEY`: seals secrets at rest (see src/platform/secrets.ts). */
  masterKey?: string;
  /** Trust the reverse proxy in front for the client's address and protocol (`BURSAR_TRUST_PROXY=1`). */
  trustProxy: boolean;
  /** Seconds a stopping server waits for in-flight requests (BURSAR_DRAIN_SECONDS). */
  drainSeconds: number;
  /** Accept http:// OIDC issuers on loopback hosts, for test issuers (`BURSAR_OIDC_ALLOW_HTTP_LOOPBACK=1`). */
  allowHttpLoopbackIssuers: boolean;
  /** Serve the TEST OIDC issuer at /_bursar/test-oidc (`BURSAR_TEST_OIDC_ISSUER=1`); never in production. */
  testOidcIssuer: boolean;
  costs: CostConfig;
  exports: ExportConfig;
}

/**
 * Where Data Exports and Cost and Usage Reports deliver their files: each export's S3 bucket and prefix become
 * keys under this destination (`<bucket>/<prefix>/<export name>/data/…`).
 */
export interface ExportConfig {
  /** `BURSAR_EXPORT_STORE`: a directory (default `<data dir>/exports`) or `s3://bucket/prefix`. */
  store?: string;
  /** `BURSAR_EXPORT_STORE_ENDPOINT`: an S3-compatible endpoint, `http(s)://host:port` (default AWS's). */
  endpoint?: string;
  /** `BURSAR_EXPORT_STORE_REGION` (else AWS_REGION, else us-east-1). */
  region?: string;
  /** `BURSAR_EXPORT_STORE_ACCESS_KEY_ID` / `_SECRET_ACCESS_KEY` / `_SESSION_TOKEN`, else AWS_ACCESS_KEY_ID…, for s3://. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export function exportConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ExportConfig {
  const accessKeyId = nonEmpty(env.BURSAR_EXPORT_STORE_ACCESS_KEY_ID) ?? nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.BURSAR_EXPORT_STORE_SECRET_ACCESS_KEY) ?? nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  const sessionToken = nonEmpty(env.BURSAR_EXPORT_STORE_SESSION_TOKEN) ?? nonEmpty(env.AWS_SESSION_TOKEN);
  const store = nonEmpty(env.BURSAR_EXPORT_STORE);
  const endpoint = nonEmpty(env.BURSAR_EXPORT_STORE_ENDPOINT);
  const region = nonEmpty(env.BURSAR_EXPORT_STORE_REGION) ?? nonEmpty(env.AWS_REGION);
  return {
    ...(store === undefined ? {} : { store }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(region === undefined ? {} : { region }),
    ...(accessKeyId === undefined || secretAccessKey === undefined
      ? {}
      : { credentials: { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) } }),
  };
}

/** Where cost parts live and how much memory the cost engine may use. */
export interface CostConfig {
  /** `BURSAR_COST_STORE`: a directory (default `<data dir>/cost-parts`) or `s3://bucket/prefix`. */
  store?: string;
  /** `BURSAR_COST_STORE_ENDPOINT`: an S3-compatible endpoint, `http(s)://host:port` (default AWS's). */
  endpoint?: string;
  /** `BURSAR_COST_STORE_REGION` (else AWS_REGION, else us-east-1). */
  region?: string;
  /** `BURSAR_COST_STORE_ACCESS_KEY_ID` / `_SECRET_ACCESS_KEY` / `_SESSION_TOKEN`, else AWS_ACCESS_KEY_ID…, for s3://. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** `BURSAR_COST_MEMORY_LIMIT`: DuckDB's memory cap per process (default 512MB); beyond it DuckDB spills to disk. */
  memoryLimit?: string;
}

export function costConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CostConfig {
  // Own names first: AWS_ACCESS_KEY_ID may hold the key `bursar import --endpoint` signs to Bursar with.
  const accessKeyId = nonEmpty(env.BURSAR_COST_STORE_ACCESS_KEY_ID) ?? nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.BURSAR_COST_STORE_SECRET_ACCESS_KEY) ?? nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  const sessionToken = nonEmpty(env.BURSAR_COST_STORE_SESSION_TOKEN) ?? nonEmpty(env.AWS_SESSION_TOKEN);
  const config: CostConfig = {};
  const set = <K extends keyof CostConfig>(key: K, value: CostConfig[K] | undefined) => {
    if (value !== undefined) config[key] = value;
  };
  set('store', nonEmpty(env.BURSAR_COST_STORE));
  set('endpoint', nonEmpty(env.BURSAR_COST_STORE_ENDPOINT));
  set('region', nonEmpty(env.BURSAR_COST_STORE_REGION) ?? nonEmpty(env.AWS_REGION));
  set('memoryLimit', nonEmpty(env.BURSAR_COST_MEMORY_LIMIT));
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    config.credentials = { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
  }
  return config;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = nonEmpty(env.BURSAR_PORT);
  const level = nonEmpty(env.BURSAR_LOG_LEVEL);
  const drain = nonEmpty(env.BURSAR_DRAIN_SECONDS);
  return {
    host: nonEmpty(env.BURSAR_HOST) ?? DEFAULT_HOST,
    port: port === undefined ? DEFAULT_PORT : parsePort(port),
    dataDir: nonEmpty(env.BURSAR_DATA_DIR) ?? join(process.cwd(), 'data'),
    databaseUrl: nonEmpty(env.BURSAR_DATABASE_URL),
    masterKey: nonEmpty(env.BURSAR_MASTER_KEY),
    ephemeral: env.BURSAR_EPHEMERAL === '1' || env.BURSAR_EPHEMERAL === 'true',
    region: nonEmpty(env.BURSAR_REGION) ?? DEFAULT_REGION,
    trustProxy: env.BURSAR_TRUST_PROXY === '1' || env.BURSAR_TRUST_PROXY === 'true',
    allowHttpLoopbackIssuers:
      env.BURSAR_OIDC_ALLOW_HTTP_LOOPBACK === '1' || env.BURSAR_OIDC_ALLOW_HTTP_LOOPBACK === 'true',
    testOidcIssuer: env.BURSAR_TEST_OIDC_ISSUER === '1' || env.BURSAR_TEST_OIDC_ISSUER === 'true',
    logLevel: level === 'debug' || level === 'warn' || level === 'error' ? level : 'info',
    bootstrap: {
      accountId: nonEmpty(env.BURSAR_BOOTSTRAP_ACCOUNT_ID),
      rootEmail: nonEmpty(env.BURSAR_BOOTSTRAP_ROOT_EMAIL),
      rootPassword: nonEmpty(env.BURSAR_BOOTSTRAP_ROOT_PASSWORD),
      accessKeyId: nonEmpty(env.BURSAR_BOOTSTRAP_ACCESS_KEY_ID),
      secretAccessKey: nonEmpty(env.BURSAR_BOOTSTRAP_SECRET_ACCESS_KEY),
    },
    drainSeconds: drain === undefined ? DEFAULT_DRAIN_SECONDS : parseDrainSeconds(drain),
    costs: costConfigFromEnv(env),
    exports: exportConfigFromEnv(env),
  };
}

export function parseDrainSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) throw new Error(`invalid drain seconds: ${text}`);
  return seconds;
}

export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${text}`);
  return port;
}
