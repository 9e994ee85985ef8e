/**
 * IAM OpenID Connect identity providers: an issuer (kept without `https://`, as AWS returns it), the
 * audiences (client ids) a web identity token may carry, and the thumbprints of the issuer's certificate
 * authority. The ARN — `arn:aws:iam::<account>:oidc-provider/<host/path>` — is the provider's only name. An
 * account has at most 100 providers, a provider at most 100 client ids and 5 thumbprints.
 *
 * AWS requires an `https://` issuer. `allowHttpLoopback` (the server's BURSAR_OIDC_ALLOW_HTTP_LOOPBACK) also
 * accepts `http://` on a loopback host, for test issuers on the same machine (docs/federation.md).
 */
import { entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from './errors.js';
import type { Db, IamContext, Trx } from './context.js';
import { tagsOf } from './records.js';
import { replaceTags } from './tags.js';
import { checkTags } from './validation.js';
import type { CreateOpenIDConnectProviderRequest, Tag } from '../contracts/wire/iam.js';
import { uniqueViolation } from '../store/dialect.js';

export const OIDC_PROVIDERS_PER_ACCOUNT = 100;
const CLIENT_IDS_PER_PROVIDER = 100;
const THUMBPRINTS_PER_PROVIDER = 5;
const URL_MAX = 255;
const THUMBPRINT = /^[0-9a-fA-F]{40}$/;

export interface OidcProvider {
  arn: string;
  accountId: string;
  /** The issuer as it was registered, with its scheme (`https://token.actions.githubusercontent.com`). */
  issuer: string;
  /** The issuer without its scheme: the ARN's resource and the prefix of the trust policy's condition keys. */
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createdAt: Date;
}

interface ProviderRow {
  arn: string;
  account_id: string;
  url: string;
  client_ids: string;
  thumbprints: string;
  created_at: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The scheme a stored url is reached by: https, but http for a loopback host (only ever stored when allowed). */
function issuerOf(url: string): string {
  const host = url.split('/')[0]!.replace(/:\d+$/, '');
  return `${LOOPBACK_HOSTS.has(host) ? 'http' : 'https'}://${url}`;
}

function shape(row: ProviderRow): OidcProvider {
  return {
    arn: row.arn,
    accountId: row.account_id,
    issuer: issuerOf(row.url),
    url: row.url,
    clientIds: JSON.parse(row.client_ids) as string[],
    thumbprints: JSON.parse(row.thumbprints) as string[],
    createdAt: new Date(row.created_at),
  };
}

export function oidcProviderArn(accountId: string, url: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${url}`;
}

/**
 * The issuer URL without its scheme (and without a trailing slash), as AWS keys a provider. Refused as AWS
 * does: another scheme, a query or fragment, an empty host.
 */
export function checkIssuerUrl(text: string, allowHttpLoopback: boolean): string {
  if (text.length > URL_MAX) throw invalidInput(`Url ${text} is longer than ${URL_MAX} characters.`);
  const match = /^(https?):\/\/([^/?#\s]+)(\/[^?#\s]*)?$/i.exec(text);
  if (match === null) throw invalidInput('Invalid Open ID Connect Provider URL');
  const [, scheme, host, path] = match as unknown as [string, string, string, string | undefined];
  const url = `${host.toLowerCase()}${(path ?? '').replace(/\/+$/, '')}`;
  if (scheme.toLowerCase() === 'http') {
    const loopback = LOOPBACK_HOSTS.has(host.toLowerCase().replace(/:\d+$/, ''));
    if (!(allowHttpLoopback && loopback)) throw invalidInput('Invalid Open ID Connect Provider URL');
  }
  return url;
}

function checkClientIds(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidInput('ClientIDList must be a list.');
  const ids = [...new Set(value.map((id) => id))];
  if (ids.length > CLIENT_IDS_PER_PROVIDER)
    throw limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${CLIENT_IDS_PER_PROVIDER}`);
  return ids;
}

function checkThumbprints(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidInput('ThumbprintList must be a list.');
  const prints = value.map((t) => t);
  for (const print of prints) if (!THUMBPRINT.test(print)) throw invalidInput(`Thumbprint ${print} is invalid.`);
  const unique = [...new Set(prints.map((p) => p.toLowerCase()))];
  if (unique.length > THUMBPRINTS_PER_PROVIDER)
    throw limitExceeded(`Thumbprint list must contain fewer than ${THUMBPRINTS_PER_PROVIDER + 1} entries.`);
  return unique;
}

const notFound = (arn: string) => noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);

async function findRow(db: Db | Trx, accountId: string, arn: string): Promise<ProviderRow | undefined> {
  return db
    .selectFrom('iam_oidc_providers')
    .selectAll()
    .where('arn', '=', arn)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

async function requireRow(db: Db | Trx, accountId: string, arn: string): Promise<ProviderRow> {
  const text = arn;
  const row = await findRow(db, accountId, text);
  if (row === undefined) throw notFound(text);
  return row;
}

export class OidcProviderService {
  constructor(
    private readonly ctx: IamContext,
    private readonly allowHttpLoopback = false,
  ) {}

  /** The ARN a CreateOpenIDConnectProvider call would create (authorization asks for it before the call). */
  arnFor(accountId: string, url: string): string {
    try {
      return oidcProviderArn(accountId, checkIssuerUrl(url, this.allowHttpLoopback));
    } catch {
      return oidcProviderArn(accountId, '*');
    }
  }

  async create(
    accountId: string,
    input: Pick<CreateOpenIDConnectProviderRequest, 'Url' | 'ClientIDList' | 'ThumbprintList' | 'Tags'>,
  ): Promise<{ arn: string; tags: Tag[] }> {
    const url = checkIssuerUrl(input.Url, this.allowHttpLoopback);
    const clientIds = checkClientIds(input.ClientIDList);
    const thumbprints = checkThumbprints(input.ThumbprintList);
    const tags = checkTags(input.Tags, 'oidc-provider');
    const arn = oidcProviderArn(accountId, url);
    const duplicate = () => entityAlreadyExists(`Provider with url ${issuerOf(url)} already exists.`);
    await this.ctx.write(accountId, async (trx) => {
      if (await findRow(trx, accountId, arn)) throw duplicate();
      const { count } = await trx
        .selectFrom('iam_oidc_providers')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= OIDC_PROVIDERS_PER_ACCOUNT)
        throw limitExceeded(`Cannot exceed quota for OpenIdConnectProvidersPerAccount: ${OIDC_PROVIDERS_PER_ACCOUNT}`);
      await trx
        .insertInto('iam_oidc_providers')
        .values({
          arn,
          account_id: accountId,
          url,
          client_ids: JSON.stringify(clientIds),
          thumbprints: JSON.stringify(thumbprints),
          created_at: this.ctx.nowIso(),
        })
        .execute()
        .catch((error: unknown) => {
          throw uniqueViolation(error) ? duplicate() : error;
        });
      await replaceTags(trx, 'oidc-provider', arn, tags);
    });
    return { arn, tags };
  }

  async get(accountId: string, arn: string): Promise<OidcProvider & { tags: Tag[] }> {
    const row = await requireRow(this.ctx.db, accountId, arn);
    return { ...shape(row), tags: await tagsOf(this.ctx.db, 'oidc-provider', row.arn) };
  }

  /** The provider's ARN once it is known to exist, for its tags. */
  async idOf(accountId: string, arn: string): Promise<string> {
    return (await requireRow(this.ctx.db, accountId, arn)).arn;
  }

  /** The account's provider for an issuer (a web identity token's `iss`), if it has one. */
  async findByIssuer(accountId: string, issuer: string): Promise<OidcProvider | undefined> {
    let url: string;
    try {
      url = checkIssuerUrl(issuer, this.allowHttpLoopback);
    } catch {
      return undefined;
    }
    const row = await findRow(this.ctx.db, accountId, oidcProviderArn(accountId, url));
    return row === undefined ? undefined : shape(row);
  }

  async delete(accountId: string, arn: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const row = await requireRow(trx, accountId, arn);
      await trx
        .deleteFrom('iam_tags')
        .where('resource_type', '=', 'oidc-provider')
        .where('resource_id', '=', row.arn)
        .execute();
      await trx.deleteFrom('iam_oidc_providers').where('arn', '=', row.arn).execute();
    });
  }

  /** The account's providers' ARNs, in ARN order (at most the quota: AWS does not page this list). */
  async list(accountId: string): Promise<string[]> {
    const rows = await this.ctx.db
      .selectFrom('iam_oidc_providers')
      .select('arn')
      .where('account_id', '=', accountId)
      .orderBy('arn')
      .execute();
    return rows.map((r) => r.arn);
  }

  async count(accountId: string): Promise<number> {
    return (await this.list(accountId)).length;
  }

  /** Adds a client id; adding one the provider has already is no error (AWS's is idempotent). */
  async addClientId(accountId: string, arn: string, clientId: unknown): Promise<void> {
    const [id] = checkClientIds([clientId]);
    await this.update(accountId, arn, (row) => {
      const ids = JSON.parse(row.client_ids) as string[];
      if (ids.includes(id!)) return undefined;
      return { client_ids: JSON.stringify(checkClientIds([...ids, id])) };
    });
  }

  /** Removes a client id; removing one the provider does not have is no error (AWS's is idempotent). */
  async removeClientId(accountId: string, arn: string, clientId: unknown): Promise<void> {
    const [id] = checkClientIds([clientId]);
    await this.update(accountId, arn, (row) => {
      const ids = JSON.parse(row.client_ids) as string[];
      return ids.includes(id!) ? { client_ids: JSON.stringify(ids.filter((c) => c !== id)) } : undefined;
    });
  }

  /** Replaces the thumbprint list. */
  async updateThumbprints(accountId: string, arn: string, thumbprints: unknown): Promise<void> {
    const prints = checkThumbprints(thumbprints);
    await this.update(accountId, arn, () => ({ thumbprints: JSON.stringify(prints) }));
  }

  private async update(
    accountId: string,
    arn: string,
    change: (row: ProviderRow) => Partial<Pick<ProviderRow, 'client_ids' | 'thumbprints'>> | undefined,
  ): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const row = await requireRow(trx, accountId, arn);
      const set = change(row);
      if (set !== undefined) await trx.updateTable('iam_oidc_providers').set(set).where('arn', '=', row.arn).execute();
    });
  }
}
