/**
 * Server certificates: X.509 certificates with their private keys that load balancers and CloudFront serve
 * (when ACM is not used). An account holds at most 20; names are unique without regard to case. The private
 * key must match the certificate, and is never returned, so it is not kept.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Selectable } from 'kysely';
import { uniqueId } from '../platform/ids.js';
import { entityAlreadyExists, keyPairMismatch, limitExceeded, malformedCertificate, noSuchEntity } from './errors.js';
import type { Db, IamContext, Trx } from './context.js';
import type { NamePage, PageOf } from './name-page.js';
import { namePageFilter, pageOf } from './name-page.js';
import { iamArn, tagsOf } from './records.js';
import { parseCertificate } from './signing-certificates.js';
import { replaceTags } from './tags.js';
import { checkTags } from './validation.js';
import type { IamServerCertificateTable } from '../store/tables/iam.js';
import type { Tag, UpdateServerCertificateRequest, UploadServerCertificateRequest } from '../contracts/wire/iam.js';
import { uniqueViolation } from '../store/dialect.js';

export const SERVER_CERTIFICATES_PER_ACCOUNT = 20;

type Row = Selectable<IamServerCertificateTable>;

function metadata(row: Row) {
  return {
    Path: row.path,
    ServerCertificateName: row.name,
    ServerCertificateId: row.certificate_id,
    Arn: row.arn,
    UploadDate: new Date(row.uploaded_at),
    Expiration: new Date(row.expires_at),
  };
}

function certificateShape(row: Row, tags: Tag[]) {
  return {
    ServerCertificateMetadata: metadata(row),
    CertificateBody: row.body,
    ...(row.chain === null ? {} : { CertificateChain: row.chain }),
    ...(tags.length > 0 ? { Tags: tags } : {}),
  };
}

async function findCertificate(db: Db | Trx, accountId: string, name: string): Promise<Row | undefined> {
  return db
    .selectFrom('iam_server_certificates')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst();
}

async function requireCertificate(db: Db | Trx, accountId: string, name: string): Promise<Row> {
  const row = await findCertificate(db, accountId, name);
  if (!row) throw noSuchEntity(`The Server Certificate with name ${name} cannot be found.`);
  return row;
}

const alreadyExists = (name: string) => entityAlreadyExists(`The Server Certificate with name ${name} already exists.`);

/** A PEM chain's certificates, each parsed and re-encoded (anything else the text carries is left out). */
function checkChain(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [text];
  return blocks.map((block) => parseCertificate(block, 'certificate chain').toString().trim()).join('\n');
}

export class ServerCertificateService {
  constructor(private readonly ctx: IamContext) {}

  async upload(
    accountId: string,
    input: Pick<
      UploadServerCertificateRequest,
      'ServerCertificateName' | 'Path' | 'CertificateBody' | 'PrivateKey' | 'CertificateChain' | 'Tags'
    >,
  ) {
    const name = input.ServerCertificateName;
    const path = input.Path ?? '/';
    const certificate = parseCertificate(input.CertificateBody);
    // The certificate re-encoded, never the text given, which may carry other PEM blocks (its private key).
    const body = certificate.toString().trim();
    let key: KeyObject;
    try {
      key = createPrivateKey(input.PrivateKey);
    } catch {
      throw malformedCertificate('Unable to parse private key.');
    }
    if (!certificate.checkPrivateKey(key)) throw keyPairMismatch();
    const chain = checkChain(input.CertificateChain);
    const tags = checkTags(input.Tags, 'server-certificate');
    const row: Row = {
      certificate_id: uniqueId(this.ctx.ids, 'ASCA'),
      account_id: accountId,
      name,
      name_key: name.toLowerCase(),
      path,
      arn: iamArn(accountId, 'server-certificate', path, name),
      body,
      chain,
      expires_at: new Date(certificate.validTo).toISOString(),
      uploaded_at: this.ctx.nowIso(),
    };
    await this.ctx.write(accountId, async (trx) => {
      if (await findCertificate(trx, accountId, name)) throw alreadyExists(name);
      const { count } = await trx
        .selectFrom('iam_server_certificates')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= SERVER_CERTIFICATES_PER_ACCOUNT)
        throw limitExceeded(`Cannot exceed quota for ServerCertificatesPerAccount: ${SERVER_CERTIFICATES_PER_ACCOUNT}`);
      await trx
        .insertInto('iam_server_certificates')
        .values(row)
        .execute()
        .catch((error: unknown) => {
          throw uniqueViolation(error) ? alreadyExists(name) : error;
        });
      await replaceTags(trx, 'server-certificate', row.certificate_id, tags);
    });
    this.ctx.recordEntity(accountId, 'server-certificate', name, path);
    return { ServerCertificateMetadata: metadata(row), ...(tags.length > 0 ? { Tags: tags } : {}) };
  }

  async get(accountId: string, name: string) {
    const row = await requireCertificate(this.ctx.db, accountId, name);
    return certificateShape(row, await tagsOf(this.ctx.db, 'server-certificate', row.certificate_id));
  }

  /** The certificate's id, for its tags. */
  async idOf(accountId: string, name: string): Promise<string> {
    return (await requireCertificate(this.ctx.db, accountId, name)).certificate_id;
  }

  /** One page of the account's certificates in name order (see name-page.ts). */
  async list(
    accountId: string,
    pathPrefix: string | undefined,
    page: NamePage,
  ): Promise<PageOf<ReturnType<typeof metadata>>> {
    const rows = await this.ctx.db
      .selectFrom('iam_server_certificates')
      .selectAll()
      .where(namePageFilter(accountId, pathPrefix ?? '/', page))
      .orderBy('name_key')
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows, page, metadata);
  }

  async update(
    accountId: string,
    name: string,
    input: Pick<UpdateServerCertificateRequest, 'NewServerCertificateName' | 'NewPath'>,
  ) {
    const moved = await this.ctx.write(accountId, async (trx) => {
      const row = await requireCertificate(trx, accountId, name);
      const newName = input.NewServerCertificateName ?? row.name;
      const newPath = input.NewPath ?? row.path;
      if (newName.toLowerCase() !== row.name_key && (await findCertificate(trx, accountId, newName)))
        throw alreadyExists(newName);
      await trx
        .updateTable('iam_server_certificates')
        .set({
          name: newName,
          name_key: newName.toLowerCase(),
          path: newPath,
          arn: iamArn(accountId, 'server-certificate', newPath, newName),
        })
        .where('certificate_id', '=', row.certificate_id)
        .execute();
      return { oldName: row.name, newName, newPath };
    });
    this.ctx.recordEntity(accountId, 'server-certificate', moved.oldName, undefined);
    this.ctx.recordEntity(accountId, 'server-certificate', moved.newName, moved.newPath);
  }

  async delete(accountId: string, name: string): Promise<void> {
    await this.ctx.write(accountId, async (trx) => {
      const row = await requireCertificate(trx, accountId, name);
      await trx
        .deleteFrom('iam_tags')
        .where('resource_type', '=', 'server-certificate')
        .where('resource_id', '=', row.certificate_id)
        .execute();
      await trx.deleteFrom('iam_server_certificates').where('certificate_id', '=', row.certificate_id).execute();
    });
    this.ctx.recordEntity(accountId, 'server-certificate', name, undefined);
  }
}
