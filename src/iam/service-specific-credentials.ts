/**
 * Service-specific credentials: a user name and password for one AWS service that cannot take SigV4 from its
 * clients (CodeCommit over HTTPS Git, Amazon Keyspaces over Cassandra drivers). At most two per user per
 * service. The password is returned by create and reset only; nothing in Bursar signs in with it, so it is not
 * kept at all.
 */
import { uniqueId } from '../platform/ids.js';
import { limitExceeded, noSuchEntity, notSupportedService } from './errors.js';
import type { IamContext } from './context.js';
import { requireUser } from './records.js';
import type { IamServiceSpecificCredentialTable } from '../store/tables/iam.js';

export const SERVICE_SPECIFIC_CREDENTIALS_PER_USER_PER_SERVICE = 2;

/** The services AWS issues these credentials for. */
export const CREDENTIAL_SERVICES: readonly string[] = ['codecommit.amazonaws.com', 'cassandra.amazonaws.com'];

type Row = IamServiceSpecificCredentialTable;

function checkService(service: string): string {
  if (!CREDENTIAL_SERVICES.includes(service)) throw notSupportedService(service);
  return service;
}

function metadata(row: Row, userName: string) {
  return {
    UserName: userName,
    Status: row.status,
    ServiceUserName: row.service_user_name,
    CreateDate: new Date(row.created_at),
    ServiceSpecificCredentialId: row.credential_id,
    ServiceName: row.service_name,
  };
}

export class ServiceSpecificCredentialService {
  constructor(private readonly ctx: IamContext) {}

  /** A new password as AWS's look: 32 random bytes in base64 (44 characters). */
  private password(): string {
    return this.ctx.ids.bytes(32).toString('base64');
  }

  async create(accountId: string, userName: string, serviceName: string) {
    const service = checkService(serviceName);
    return this.ctx.write(accountId, async (trx) => {
      const user = await requireUser(trx, accountId, userName);
      const { count } = await trx
        .selectFrom('iam_service_specific_credentials')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('user_id', '=', user.user_id)
        .where('service_name', '=', service)
        .executeTakeFirstOrThrow();
      if (Number(count) >= SERVICE_SPECIFIC_CREDENTIALS_PER_USER_PER_SERVICE)
        throw limitExceeded(
          `Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${SERVICE_SPECIFIC_CREDENTIALS_PER_USER_PER_SERVICE}`,
        );
      const row: Row = {
        credential_id: uniqueId(this.ctx.ids, 'ACCA'),
        account_id: accountId,
        user_id: user.user_id,
        service_name: service,
        service_user_name: `${user.name}-at-${accountId}`,
        status: 'Active',
        created_at: this.ctx.nowIso(),
      };
      await trx.insertInto('iam_service_specific_credentials').values(row).execute();
      return { ...metadata(row, user.name), ServicePassword: this.password() };
    });
  }

  async list(accountId: string, userName: string, serviceName: string | undefined) {
    const service = serviceName === undefined ? undefined : checkService(serviceName);
    const user = await requireUser(this.ctx.db, accountId, userName);
    let query = this.ctx.db
      .selectFrom('iam_service_specific_credentials')
      .selectAll()
      .where('user_id', '=', user.user_id);
    if (service !== undefined) query = query.where('service_name', '=', service);
    const rows = await query.orderBy('created_at').orderBy('credential_id').execute();
    return rows.map((r) => metadata(r, user.name));
  }

  private async requireCredential(accountId: string, userName: string, credentialId: string) {
    const user = await requireUser(this.ctx.db, accountId, userName);
    const row = await this.ctx.db
      .selectFrom('iam_service_specific_credentials')
      .selectAll()
      .where('credential_id', '=', credentialId)
      .where('user_id', '=', user.user_id)
      .executeTakeFirst();
    if (!row) throw noSuchEntity(`No such credential ${credentialId} exists`);
    return { row, user };
  }

  async reset(accountId: string, userName: string, credentialId: string) {
    const { row, user } = await this.requireCredential(accountId, userName, credentialId);
    return { ...metadata(row, user.name), ServicePassword: this.password() };
  }

  async updateStatus(accountId: string, userName: string, credentialId: string, status: 'Active' | 'Inactive') {
    const { row } = await this.requireCredential(accountId, userName, credentialId);
    await this.ctx.write(accountId, (trx) =>
      trx
        .updateTable('iam_service_specific_credentials')
        .set({ status })
        .where('credential_id', '=', row.credential_id)
        .execute(),
    );
  }

  async delete(accountId: string, userName: string, credentialId: string) {
    const { row } = await this.requireCredential(accountId, userName, credentialId);
    await this.ctx.write(accountId, (trx) =>
      trx.deleteFrom('iam_service_specific_credentials').where('credential_id', '=', row.credential_id).execute(),
    );
  }
}
