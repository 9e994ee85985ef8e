/**
 * X.509 signing certificates of IAM users (the SOAP-era signing credential some services still accept): at
 * most two per user, parsed as PEM, and no certificate held twice in one account. Ids are 24 uppercase
 * letters and digits, as AWS's are.
 */
import { X509Certificate } from 'node:crypto';
import { randomString } from '../platform/ids.js';
import { duplicateCertificate, limitExceeded, malformedCertificate, noSuchEntity } from './errors.js';
import type { IamContext } from './context.js';
import { requireUser } from './records.js';
import type { IamSigningCertificateTable } from '../store/tables/iam.js';
import { uniqueViolation } from '../store/dialect.js';

export const SIGNING_CERTIFICATES_PER_USER = 2;

/** A PEM certificate as node:crypto reads it, or AWS's MalformedCertificate. */
export function parseCertificate(body: string, what = 'certificate'): X509Certificate {
  const pem = body.trim();
  if (!/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(pem))
    throw malformedCertificate(`Unable to parse ${what}. Please ensure the ${what} is in PEM format.`);
  try {
    return new X509Certificate(pem);
  } catch {
    throw malformedCertificate(`Unable to parse ${what}. Please ensure the ${what} is in PEM format.`);
  }
}

type Row = IamSigningCertificateTable;

function certificateShape(row: Row, userName: string) {
  return {
    UserName: userName,
    CertificateId: row.certificate_id,
    CertificateBody: row.body,
    Status: row.status,
    UploadDate: new Date(row.uploaded_at),
  };
}

export class SigningCertificateService {
  constructor(private readonly ctx: IamContext) {}

  async upload(accountId: string, userName: string, body: string) {
    const text = body;
    const certificate = parseCertificate(text);
    if (new Date(certificate.validTo) < this.ctx.clock.now())
      throw malformedCertificate('The certificate has expired.');
    return this.ctx.write(accountId, async (trx) => {
      const user = await requireUser(trx, accountId, userName);
      const fingerprint = certificate.fingerprint256;
      const duplicate = await trx
        .selectFrom('iam_signing_certificates')
        .select('certificate_id')
        .where('account_id', '=', accountId)
        .where('fingerprint', '=', fingerprint)
        .executeTakeFirst();
      if (duplicate) throw duplicateCertificate();
      const { count } = await trx
        .selectFrom('iam_signing_certificates')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('user_id', '=', user.user_id)
        .executeTakeFirstOrThrow();
      if (Number(count) >= SIGNING_CERTIFICATES_PER_USER)
        throw limitExceeded(`Cannot exceed quota for CertificatesPerUser: ${SIGNING_CERTIFICATES_PER_USER}`);
      const row: Row = {
        certificate_id: randomString(this.ctx.ids, 24).toUpperCase(),
        account_id: accountId,
        user_id: user.user_id,
        // The certificate re-encoded, never the text given, which may carry other PEM blocks.
        body: certificate.toString().trim(),
        fingerprint,
        status: 'Active',
        uploaded_at: this.ctx.nowIso(),
      };
      await trx
        .insertInto('iam_signing_certificates')
        .values(row)
        .execute()
        .catch((error: unknown) => {
          throw uniqueViolation(error) ? duplicateCertificate() : error;
        });
      return certificateShape(row, user.name);
    });
  }

  async list(accountId: string, userName: string) {
    const user = await requireUser(this.ctx.db, accountId, userName);
    const rows = await this.ctx.db
      .selectFrom('iam_signing_certificates')
      .selectAll()
      .where('user_id', '=', user.user_id)
      .orderBy('uploaded_at')
      .orderBy('certificate_id')
      .execute();
    return rows.map((r) => certificateShape(r, user.name));
  }

  private async requireCertificate(accountId: string, userName: string, certificateId: string) {
    const user = await requireUser(this.ctx.db, accountId, userName);
    const row = await this.ctx.db
      .selectFrom('iam_signing_certificates')
      .select('certificate_id')
      .where('certificate_id', '=', certificateId)
      .where('user_id', '=', user.user_id)
      .executeTakeFirst();
    if (!row) throw noSuchEntity(`The Certificate with id ${certificateId} cannot be found.`);
    return row.certificate_id;
  }

  async updateStatus(accountId: string, userName: string, certificateId: string, status: 'Active' | 'Inactive') {
    const id = await this.requireCertificate(accountId, userName, certificateId);
    await this.ctx.write(accountId, (trx) =>
      trx.updateTable('iam_signing_certificates').set({ status }).where('certificate_id', '=', id).execute(),
    );
  }

  async delete(accountId: string, userName: string, certificateId: string) {
    const id = await this.requireCertificate(accountId, userName, certificateId);
    await this.ctx.write(accountId, (trx) =>
      trx.deleteFrom('iam_signing_certificates').where('certificate_id', '=', id).execute(),
    );
  }
}
