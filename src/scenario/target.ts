/**
 * Where a scenario goes: an endpoint (Bursar's, or none for AWS itself), a region and credentials, and the
 * AWS SDK v3 clients over them. Everything the scenario commands do goes through these public APIs, so the
 * same file runs against Bursar and against a real account.
 */
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AWS_PORTAL_API, BILLING_API, signedJsonRequest, type JsonApi } from '../billing/costs/import/remote-import.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface Target {
  /** Bursar's URL; undefined means AWS's own endpoints. */
  endpoint?: string;
  region: string;
  credentials: Credentials;
}

/** What the scenario code uses of an AWS SDK client: `send`, so clients that are not over HTTP fit too. */
export type Sender<Client extends { send: unknown }> = Pick<Client, 'send'>;

export interface Clients {
  iam: Sender<IAMClient>;
  sts: Sender<STSClient>;
  organizations: Sender<OrganizationsClient>;
  budgets: Sender<BudgetsClient>;
  /** Calls to the Billing console settings no SDK has: the IAM-access switch and the console action set. */
  billing: (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
  portal: (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
  /** Cost Explorer, against Bursar only (scenarios import cost data into Bursar alone). */
  ce: (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
  /** Whether the account is Bursar's, whose Billing console settings have an API. */
  bursar: boolean;
  /** Where the calls go over HTTP; absent for the console's calls, made in the server as the signed-in caller. */
  target?: Target;
}

/** The target from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN and AWS_REGION, as the CLI has it. */
export function targetFromEnv(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): Target {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the account root user, or an administrator)');
  }
  return {
    ...(endpoint === undefined ? {} : { endpoint }),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
  };
}

/** The target's credentials as the environment variables `signedJsonRequest` and `importFilesRemote` sign with. */
export function signingEnv(target: Target): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
    AWS_REGION: target.region,
    ...(target.credentials.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: target.credentials.sessionToken }),
  };
}

/** Cost Explorer (JSON 1.1), for the monthly totals cost data is compared with; no SDK client at run time. */
const CE_API: JsonApi = { signingName: 'ce', targetPrefix: 'AWSInsightsIndexService', jsonVersion: '1.1' };

async function json(
  target: Target,
  api: JsonApi,
  operation: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (target.endpoint === undefined) {
    throw new Error(`AWS has no API for ${operation}: set it in the Billing console's Account page`);
  }
  const response = await signedJsonRequest(target.endpoint, operation, input, signingEnv(target), api);
  const body = JSON.parse(response.body === '' ? '{}' : response.body) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`${operation}: ${String(body.__type)}: ${String(body.message)}`);
  return body;
}

export function clientsFor(target: Target): Clients {
  const config = {
    region: target.region,
    credentials: target.credentials,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
  };
  return {
    iam: new IAMClient(config),
    sts: new STSClient(config),
    organizations: new OrganizationsClient(config),
    budgets: new BudgetsClient(config),
    billing: (operation, input) => json(target, BILLING_API, operation, input),
    portal: (operation, input) => json(target, AWS_PORTAL_API, operation, input),
    ce: (operation, input) => json(target, CE_API, operation, input),
    bursar: target.endpoint !== undefined,
    target,
  };
}

/**
 * Clients acting in a member account of the organization, through the role the management account may assume
 * there (OrganizationAccountAccessRole unless the scenario names another), as AWS's documentation has an
 * administrator reach a member account.
 */
export async function memberClients(
  clients: Clients,
  accountId: string,
  role = 'OrganizationAccountAccessRole',
): Promise<Clients> {
  if (clients.target === undefined) {
    throw new Error("a member account's own setup is applied by `bursar scenario apply`, not from the console");
  }
  const assumed = await clients.sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${role}`, RoleSessionName: 'bursar-scenario' }),
  );
  const c = assumed.Credentials!;
  return clientsFor({
    ...clients.target,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
  });
}
