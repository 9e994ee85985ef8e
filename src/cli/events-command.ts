/**
 * `bursar events`: the audit trail, newest first. Either asks a running server (`--endpoint URL`, a
 * CloudTrail LookupEvents call signed with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) or reads the store
 * directly (`--data-dir DIR`, or BURSAR_DATABASE_URL), which shows every account's events.
 */
import { parseArgs } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { serviceModels } from '../models/services/index.js';
import { AuditTrail, type CloudTrailEvent, type LookupQuery } from '../audit/trail.js';
import { configFromEnv } from '../platform/config.js';
import { cryptoIdSource } from '../platform/ids.js';
import { silentLogger } from '../platform/logger.js';
import { openDatabase } from '../store/database.js';

const USAGE = `usage: bursar events [--endpoint URL | --data-dir DIR] [--since TIME] [--user NAME] [--denied] [--access-changes] [--limit N] [--json]

  --endpoint URL   ask a running server (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN])
  --data-dir DIR   read the store directly (default ./data; BURSAR_DATABASE_URL selects PostgreSQL)
  --since TIME     ISO-8601 time, or an age such as 30m, 6h, 2d
  --user NAME      only events by this user name (root for the root user)
  --denied         only refused calls (AccessDenied and other authorization failures)
  --access-changes only changes that added or removed Billing console access, each principal's gains (+) and losses (-)
  --limit N        at most N events (default 50)
  --json           print each CloudTrail event as one JSON line
`;

const DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException']);

export function parseSince(text: string, now: Date): Date {
  const age = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (age !== null) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(age[1]) * unit);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`--since: not a time or an age: ${text}`);
  return date;
}

async function fromEndpoint(
  endpoint: string,
  query: LookupQuery,
): Promise<{ events: CloudTrailEvent[]; nextToken?: string }> {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new Error('--endpoint needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment');
  }
  const url = new URL(endpoint);
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const body = JSON.stringify({
    ...(query.attribute === undefined
      ? {}
      : { LookupAttributes: [{ AttributeKey: query.attribute.key, AttributeValue: query.attribute.value }] }),
    ...(query.startTime === undefined ? {} : { StartTime: query.startTime.getTime() / 1000 }),
    ...(query.maxResults === undefined ? {} : { MaxResults: query.maxResults }),
    ...(query.nextToken === undefined ? {} : { NextToken: query.nextToken }),
  });
  const signer = new SignatureV4({
    service: 'cloudtrail',
    region,
    credentials: { accessKeyId, secretAccessKey, sessionToken: process.env.AWS_SESSION_TOKEN },
    sha256: Sha256,
  });
  const target = `${serviceModels.cloudtrail!.metadata.targetPrefix}.LookupEvents`;
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.host,
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body,
  });
  const response = await fetch(new URL('/', url), {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body,
  });
  const payload = (await response.json()) as {
    Events?: Array<{ CloudTrailEvent: string }>;
    NextToken?: string;
    message?: string;
    __type?: string;
  };
  if (!response.ok) throw new Error(`${payload.__type ?? response.status}: ${payload.message ?? ''}`);
  return {
    events: (payload.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent) as CloudTrailEvent),
    ...(payload.NextToken === undefined ? {} : { nextToken: payload.NextToken }),
  };
}

function line(event: CloudTrailEvent): string {
  const who = event.userIdentity.userName ?? (event.userIdentity.type === 'Root' ? 'root' : event.userIdentity.arn);
  const outcome = event.errorCode === undefined ? 'ok' : event.errorCode;
  return [
    event.eventTime,
    event.decision.padEnd(16),
    outcome.padEnd(20),
    `${event.eventSource.replace('.amazonaws.com', '')}:${event.eventName}`.padEnd(36),
    `${who} (${event.recipientAccountId})`,
    event.sourceIPAddress,
  ].join('  ');
}

/** One principal's access change under its event: `  user FinanceUser  +page/button …  -page …`. */
function accessLine(change: NonNullable<CloudTrailEvent['accessChanges']>[number]): string {
  return [
    `    ${change.principalType} ${change.name}`,
    ...change.gained.map((column) => `+${column}`),
    ...change.lost.map((column) => `-${column}`),
  ].join('  ');
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        endpoint: { type: 'string' },
        'data-dir': { type: 'string' },
        since: { type: 'string' },
        user: { type: 'string' },
        denied: { type: 'boolean' },
        'access-changes': { type: 'boolean' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`bursar events: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.endpoint !== undefined && values['data-dir'] !== undefined) {
    process.stderr.write('bursar events: give --endpoint or --data-dir, not both\n');
    return 2;
  }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    process.stderr.write('bursar events: --limit must be a positive integer\n');
    return 2;
  }
  const base: LookupQuery = {
    ...(values.since === undefined ? {} : { startTime: parseSince(values.since, new Date()) }),
    ...(values.user === undefined ? {} : { attribute: { key: 'Username', value: values.user } }),
  };

  const config = configFromEnv();
  const database =
    values.endpoint === undefined
      ? await openDatabase({
          ...(config.databaseUrl === undefined ? {} : { url: config.databaseUrl }),
          dataDir: values['data-dir'] ?? config.dataDir,
        })
      : undefined;
  const trail = database === undefined ? undefined : new AuditTrail(database.db, cryptoIdSource, silentLogger);
  const found: CloudTrailEvent[] = [];
  try {
    let nextToken: string | undefined;
    // Denied events and access changes are filtered here (CloudTrail has no such lookup attribute), so keep paging
    // until enough match.
    do {
      const query: LookupQuery = { ...base, maxResults: 50, ...(nextToken === undefined ? {} : { nextToken }) };
      const page =
        trail === undefined
          ? await fromEndpoint(values.endpoint!, query)
          : await trail.lookup(undefined, query).then((p) => ({
              events: p.events.map((e) => e.event),
              ...(p.nextToken === undefined ? {} : { nextToken: p.nextToken }),
            }));
      for (const event of page.events) {
        if (values.denied && !DENIED_CODES.has(event.errorCode ?? '')) continue;
        if (values['access-changes'] && (event.accessChanges ?? []).length === 0) continue;
        found.push(event);
        if (found.length >= limit) break;
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined && found.length < limit);
  } finally {
    await database?.close();
  }
  for (const event of found) {
    process.stdout.write((values.json ? JSON.stringify(event) : line(event)) + '\n');
    if (values.json || !values['access-changes']) continue;
    for (const change of event.accessChanges ?? []) process.stdout.write(`${accessLine(change)}\n`);
  }
  if (!values.json && found.length === 0) process.stderr.write('no events\n');
  return 0;
}
