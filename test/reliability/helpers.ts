/**
 * What the reliability tests share: worlds (one per simulated server instance) over one store, callers and
 * request facts for invoke(), and counting how a burst of parallel calls ended.
 */
import { systemClock } from '../../src/platform/clock.js';
import { cryptoIdSource } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { OpenedDatabase } from '../../src/store/database.js';
import { openSharedPostgres, type TestDatabase } from '../../src/store/test-databases.js';
import { buildWorld, type World } from '../../src/server/world.js';

export function buildTestWorld(database: OpenedDatabase): Promise<World> {
  return buildWorld({
    database,
    clock: systemClock,
    ids: cryptoIdSource,
    logger: silentLogger,
    region: 'us-east-1',
    passwordHashCost: 1024,
  });
}

/**
 * The worlds a burst runs through: on PostgreSQL two instances over one schema (calls alternate between them),
 * on SQLite one (it serves one instance); `close` closes them and drops the schema.
 */
export async function openWorlds(database: TestDatabase): Promise<{ worlds: World[]; close: () => Promise<void> }> {
  if (database.label === 'postgres') {
    const shared = await openSharedPostgres(2);
    return {
      worlds: [await buildTestWorld(shared.stores[0]!), await buildTestWorld(shared.stores[1]!)],
      close: shared.close,
    };
  }
  const opened = await database.open();
  return { worlds: [await buildTestWorld(opened)], close: opened.close };
}

export function facts(): RequestFacts {
  return {
    requestId: 'reliability',
    sourceIp: '127.0.0.1',
    userAgent: 'reliability-test',
    now: new Date(),
    via: 'query',
  };
}

export function rootCaller(accountId: string): Caller {
  return { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
}

export function userCaller(accountId: string, user: { UserName: string; UserId: string; Arn: string }): Caller {
  return { kind: 'user', accountId, arn: user.Arn, userId: user.UserId, name: user.UserName };
}

/** How a burst of calls ended: how many succeeded, and each error code with its count (an untyped error is `500`). */
export async function outcomes(calls: Promise<unknown>[]): Promise<{ ok: number; errors: Record<string, number> }> {
  const settled = await Promise.allSettled(calls);
  const errors: Record<string, number> = {};
  let ok = 0;
  for (const result of settled) {
    if (result.status === 'fulfilled') ok++;
    else {
      const code = (result.reason as { code?: unknown }).code;
      const key = typeof code === 'string' && /^[A-Z]/.test(code) ? code : `500: ${String(result.reason)}`;
      errors[key] = (errors[key] ?? 0) + 1;
    }
  }
  return { ok, errors };
}

export const policyDocument = (effect: 'Allow' | 'Deny', action: string | string[], resource = '*') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: resource }] });

/** Inputs of billing writes, as invoke() takes them. */
export const budget = (BudgetName: string, TimeUnit = 'MONTHLY') => ({
  BudgetName,
  BudgetType: 'COST',
  TimeUnit,
  BudgetLimit: { Amount: '100', Unit: 'USD' },
});

export const notification = (Threshold: number, NotificationType = 'ACTUAL') => ({
  NotificationType,
  ComparisonOperator: 'GREATER_THAN',
  Threshold,
  ThresholdType: 'PERCENTAGE',
});

export const email = (address: string) => ({ SubscriptionType: 'EMAIL', Address: address });

export const reportDefinition = (ReportName: string) => ({
  ReportName,
  TimeUnit: 'DAILY',
  Format: 'textORcsv',
  Compression: 'GZIP',
  AdditionalSchemaElements: ['RESOURCES'],
  S3Bucket: 'example-billing-reports',
  S3Prefix: 'cur',
  S3Region: 'us-east-1',
});

export const exportDefinition = (Name: string) => ({
  Name,
  DataQuery: { QueryStatement: 'SELECT BilledCost, ServiceName FROM FOCUS_1_0_AWS' },
  DestinationConfigurations: {
    S3Destination: {
      S3Bucket: 'example-exports',
      S3Prefix: 'focus',
      S3Region: 'us-east-1',
      S3OutputConfigurations: {
        OutputType: 'CUSTOM',
        Format: 'TEXT_OR_CSV',
        Compression: 'GZIP',
        Overwrite: 'CREATE_NEW_REPORT',
      },
    },
  },
  RefreshCadence: { Frequency: 'SYNCHRONOUS' },
});

export const card = (lastFour: string) => ({
  Brand: 'VISA',
  LastFourDigits: lastFour,
  ExpiryMonth: 12,
  ExpiryYear: new Date().getUTCFullYear() + 3,
  CardholderName: 'Race Owner',
});
