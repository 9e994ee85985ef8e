/**
 * IAM SAML identity providers: a name and the IdP's SAML 2.0 metadata document. The ARN is
 * `arn:aws:iam::<account>:saml-provider/<name>`; an account has at most 100. The metadata must be well-formed
 * XML holding an `EntityDescriptor` with an `IDPSSODescriptor` and at least one X.509 signing certificate —
 * what AssumeRoleWithSAML verifies assertions against (src/iam/sts/saml.ts).
 */
import { X509Certificate } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from './errors.js';
import type { Db, IamContext, Trx } from './context.js';
import { tagsOf } from './records.js';
import { replaceTags } from './tags.js';
import { checkTags } from './validation.js';
import type { CreateSAMLProviderRequest, Tag } from '../contracts/wire/iam.js';
import { uniqueViolation } from '../store/dialect.js';

export const SAML_PROVIDERS_PER_ACCOUNT = 100;
const NAME = /^[\w._-]{1,128}$/;

interface ProviderRow {
  arn: string;
  account_id: string;
  name: string;
  name_key: string;
  metadata: string;
  valid_until: string | null;
  created_at: string;
}

export interface SamlProvider {
  arn: string;
  metadata: string;
  createdAt: Date;
  validUntil?: Date;
}

const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, attributeNamePrefix: '@' });

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every value found under `key` anywhere in the parsed document. */
function collect(node: unknown, key: string, into: unknown[] = []): unknown[] {
  if (node === null || typeof node !== 'object') return into;
  for (const [name, value] of Object.entries(node)) {
    if (name === key) into.push(...asList(value));
    for (const inner of asList(value)) collect(inner, key, into);
  }
  return into;
}

const unreadable = () => invalidInput('Could not parse metadata');

/** The metadata's `EntityDescriptor` with an `IDPSSODescriptor`, or undefined when it has none. */
function entityOf(metadata: string): Record<string, unknown> | undefined {
  if (XMLValidator.validate(metadata) !== true) return undefined;
  let parsed: unknown;
  try {
    parsed = parser.parse(metadata);
  } catch {
    return undefined;
  }
  const entity = asList((parsed as Record<string, unknown>).EntityDescriptor)[0] as Record<string, unknown> | undefined;
  return entity === undefined || collect(entity, 'IDPSSODescriptor').length === 0 ? undefined : entity;
}

/** The readable X.509 certificates of a metadata's entity, as PEM. */
function certificatesOf(entity: Record<string, unknown>): X509Certificate[] {
  return collect(entity, 'X509Certificate').flatMap((c) => {
    const text = typeof c === 'object' && c !== null ? (c as Record<string, unknown>)['#text'] : c;
    if (typeof text !== 'string') return [];
    try {
      return [new X509Certificate(Buffer.from(text.replace(/\s+/g, ''), 'base64'))];
    } catch {
      return [];
    }
  });
}

/** The certificates (PEM) a stored provider's metadata names: what its assertions' signatures are checked with. */
export function signingCertificates(metadata: string): string[] {
  const entity = entityOf(metadata);
  return entity === undefined ? [] : certificatesOf(entity).map((certificate) => certificate.toString());
}

/** Checks the metadata as AWS does before storing it; answers its `validUntil`, when it has one. */
export function checkMetadata(metadata: string): { metadata: string; validUntil: Date | undefined } {
  const entity = entityOf(metadata);
  if (entity === undefined) throw unreadable();
  if (certificatesOf(entity).length === 0) throw invalidInput('The metadata has no X.509 signing certificate.');
  const until = entity['@validUntil'];
  const validUntil = typeof until === 'string' && !Number.isNaN(Date.parse(until)) ? new Date(until) : undefined;
  return { metadata, validUntil };
}

export function samlProviderArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:saml-provider/${name}`;
}

const notFound = (arn: string) => noSuchEntity(`Manifest not found for arn ${arn}`);

function shape(row: ProviderRow): SamlProvider {
  return {
    arn: row.arn,
    metadata: row.metadata,
    createdAt: new Date(row.created_at),
    ...(row.valid_until === null ? {} : { validUntil: new Date(row.valid_until) }),
  };
}

async function requireRow(db: Db | Trx, accountId: string, arn: string): Promise<ProviderRow> {
  const text = arn;
  const row = await db
    .selectFrom('iam_saml_providers')
    .selectAll()
    .where('arn', '=', text)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (row === undefined) throw notFound(text);
  return row;
}

export class SamlProviderService {
  constructor(private readonly ctx: IamContext) {}

  async create(
    accountId: string,
    input: Pick<CreateSAMLProviderRequest, 'Name' | 'SAMLMetadataDocument' | 'Tags'>,
  ): Promise<{ arn: string; tags: Tag[] }> {
    const name = input.Name;
    if (!NAME.test(name)) throw invalidInput(`Invalid SAML provider name ${name}.`);
    const { metadata, validUntil } = checkMetadata(input.SAMLMetadataDocument);
    const tags = checkTags(input.Tags, 'saml-provider');
    const arn = samlProviderArn(accountId, name);
    const duplicate = () => entityAlreadyExists(`SAMLProvider ${name} already exists.`);
    await this.ctx.write(accountId, async (trx) => {
      const rows = await trx
        .selectFrom('iam_saml_providers')
        .select('name_key')
        .where('account_id', '=', accountId)
        .execute();
      if (rows.some((r) => r.name_key === name.toLowerCase())) throw duplicate();
      if (rows.length >= SAML_PROVIDERS_PER_ACCOUNT)
        throw limitExceeded(`Cannot exceed quota for SamlProvidersPerAccount: ${SAML_PROVIDERS_PER_ACCOUNT}`);
      await trx
        .insertInto('iam_saml_providers')
        .values({
          arn,
          account_id: accountId,
          name,
          name_key: name.toLowerCase(),
          metadata,
          valid_until: validUntil?.toISOString() ?? null,
          created_at: this.ctx.nowIso(),
        })
        .execute()
        .catch((error: unknown) => {
          throw uniqueViolation(error) ? duplicate() : error;
        });
      await replaceTags(trx, 'saml-provider', arn, tags);
    });
    return { arn, tags };
  }

  /** The provider of this ARN in the account, or undefined (AssumeRoleWithSAML's PrincipalArn). */
  async find(accountId: string, arn: string): Promise<SamlProvider | undefined> {
    const row = await this.ctx.db
      .selectFrom('iam_saml_providers')
      .selectAll()
      .where('arn', '=', arn)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row === undefined ? undefined : shape(row);
  }

  async get(accountId: string, arn: string): Promise<SamlProvider & { tags: Tag[] }> {
    const row = await requireRow(this.ctx.db, accountId, arn);
    return { ...shape(row), tags: await tagsOf(this.ctx.db, 'saml-provider', row.arn) };
  }

  /** The provider's ARN once it is known to exist, for its tags. */
  async idOf(accountId: string, arn: string): Promise<string> {
    return (await requireRow(this.ctx.db, accountId, arn)).arn;
  }

  async update(accountId: string, arn: string, document: string): Promise<string> {
    const { metadata, validUntil } = checkMetadata(document);
    return this.ctx.write(accountId, async (trx) => {
      const row = await requireRow(trx, accountId, arn);
      await trx
        .updateTable('iam_saml_providers')
        .set({ metadata, valid_until: validUntil?.toISOString() ?? null })
        .where('arn', '=', row.arn)
        .execute();
      return row.arn;
    });
  }

  async delete(accountId: string, arn: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const row = await requireRow(trx, accountId, arn);
      await trx
        .deleteFrom('iam_tags')
        .where('resource_type', '=', 'saml-provider')
        .where('resource_id', '=', row.arn)
        .execute();
      await trx.deleteFrom('iam_saml_providers').where('arn', '=', row.arn).execute();
    });
  }

  /** The account's providers in name order (at most the quota: AWS does not page this list). */
  async list(accountId: string): Promise<SamlProvider[]> {
    const rows = await this.ctx.db
      .selectFrom('iam_saml_providers')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('name_key')
      .execute();
    return rows.map(shape);
  }
}
