/**
 * Virtual MFA devices (TOTP, RFC 6238: SHA-1, 6 digits, 30-second steps as AWS uses): create with a base32
 * seed and an otpauth URI, enable for a user (or the root user) with two consecutive codes, deactivate,
 * delete, list; and verify a code at sign-in or GetSessionToken, refusing a replayed time step.
 */
import { HOTP, Secret, TOTP } from 'otpauth';
import type { Caller } from '../core/operation.js';
import QRCode from 'qrcode';
import { sealedContext } from '../platform/secrets.js';
import {
  deleteConflict,
  entityAlreadyExists,
  invalidAuthenticationCode,
  limitExceeded,
  noSuchEntity,
} from './errors.js';
import type { IamContext } from './context.js';
import { requireUser } from './records.js';
import { replaceTags } from './tags.js';
import { checkTags, checkVirtualMfaDeviceName } from './validation.js';
import type { CreateVirtualMFADeviceRequest } from '../contracts/wire/iam.js';

const PERIOD_SECONDS = 30;
export const MFA_DEVICES_PER_USER = 8;
const ROOT = 'root';
/** Steps behind and ahead of now that the first of two codes may be from: enabling allows a little typing time. */
const ENABLE_WINDOW = { behind: 3, ahead: 1 };
/** Resync is for a device whose clock drifted: ten minutes either way. */
const RESYNC_WINDOW = { behind: 20, ahead: 20 };

export class MfaService {
  constructor(private readonly ctx: IamContext) {}

  async createVirtual(
    accountId: string,
    input: Pick<CreateVirtualMFADeviceRequest, 'VirtualMFADeviceName' | 'Path' | 'Tags'>,
    issuer = 'Bursar',
  ) {
    const name = checkVirtualMfaDeviceName(input.VirtualMFADeviceName);
    const path = input.Path ?? '/';
    const tags = checkTags(input.Tags, 'mfa');
    const serial = `arn:aws:iam::${accountId}:mfa${path}${name}`;
    const seed = new Secret({ buffer: new Uint8Array(this.ctx.ids.bytes(20)).buffer }).base32;
    const now = this.ctx.nowIso();
    await this.ctx.write(accountId, async (trx) => {
      const existing = await trx
        .selectFrom('iam_mfa_devices')
        .select('serial_number')
        .where('serial_number', '=', serial)
        .executeTakeFirst();
      if (existing) throw entityAlreadyExists('MFADevice entity at the same path and name already exists.');
      await trx
        .insertInto('iam_mfa_devices')
        .values({
          serial_number: serial,
          account_id: accountId,
          name,
          path,
          seed_base32: this.ctx.secrets.seal(seed, sealedContext.mfaSeed(serial)),
          created_at: now,
          assigned_to: null,
          enabled_at: null,
          last_counter: null,
        })
        .execute();
      await replaceTags(trx, 'mfa', serial, tags);
    });
    const uri = new TOTP({
      issuer,
      label: `${name}@${accountId}`,
      secret: Secret.fromBase32(seed),
      period: PERIOD_SECONDS,
    }).toString();
    return {
      VirtualMFADevice: {
        SerialNumber: serial,
        // A blob on the wire: the bytes of the base32 text, as AWS sends it.
        Base32StringSeed: Buffer.from(seed, 'ascii'),
        // AWS's other form of the seed: a PNG of a QR code of the otpauth URI, for an authenticator app's camera.
        QRCodePNG: await QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M' }),
        ...(tags.length > 0 ? { Tags: tags } : {}),
      },
      /** Not part of AWS's output: the otpauth URI an authenticator app (or a QR code of it) takes. */
      otpauthUri: uri,
      seedBase32: seed,
    };
  }

  /** EnableMFADevice: two consecutive codes (the first from any of the last few steps) prove the device works. */
  async enable(
    accountId: string,
    userName: string | undefined,
    serialInput: string,
    code1: unknown,
    code2: unknown,
  ): Promise<void> {
    const serial = serialInput;
    const owner = userName ? (await requireUser(this.ctx.db, accountId, userName)).user_id : ROOT;
    const now = this.ctx.clock.now();
    await this.ctx.write(accountId, async (trx) => {
      const device = await trx
        .selectFrom('iam_mfa_devices')
        .selectAll()
        .where('serial_number', '=', serial)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!device) throw noSuchEntity(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
      if (device.assigned_to) throw entityAlreadyExists('MFA Device is already in use.');
      const count = await trx
        .selectFrom('iam_mfa_devices')
        .select('serial_number')
        .where('assigned_to', '=', owner)
        .where('account_id', '=', accountId)
        .execute();
      if (count.length >= (owner === ROOT ? 1 : MFA_DEVICES_PER_USER)) {
        throw limitExceeded(`Cannot exceed quota for MFADevicesPerUser: ${owner === ROOT ? 1 : MFA_DEVICES_PER_USER}`);
      }
      const matched = this.consecutivePair(device, code1, code2, now, ENABLE_WINDOW);
      await trx
        .updateTable('iam_mfa_devices')
        .set({ assigned_to: owner, enabled_at: now.toISOString(), last_counter: matched })
        .where('serial_number', '=', serial)
        .execute();
    });
  }

  /**
   * ResyncMFADevice: two consecutive codes from a device assigned to the user, looked for over a wider window
   * than EnableMFADevice's (a device whose clock drifted is what resync is for); the second code's step becomes
   * the last one used, so neither code can be replayed at sign-in.
   */
  async resync(accountId: string, userName: string, serialInput: string, code1: unknown, code2: unknown) {
    const serial = serialInput;
    const owner = (await requireUser(this.ctx.db, accountId, userName)).user_id;
    const now = this.ctx.clock.now();
    await this.ctx.write(accountId, async (trx) => {
      const device = await trx
        .selectFrom('iam_mfa_devices')
        .selectAll()
        .where('serial_number', '=', serial)
        .where('account_id', '=', accountId)
        .where('assigned_to', '=', owner)
        .executeTakeFirst();
      if (!device) throw noSuchEntity(`MFA Device with serial number ${serial} does not exist.`);
      const matched = this.consecutivePair(device, code1, code2, now, RESYNC_WINDOW);
      await trx
        .updateTable('iam_mfa_devices')
        .set({ last_counter: matched })
        .where('serial_number', '=', serial)
        .execute();
    });
  }

  /** The step of `code2` when `code1`, `code2` are the device's codes of two consecutive steps near now. */
  private consecutivePair(
    device: { serial_number: string; seed_base32: string },
    code1: unknown,
    code2: unknown,
    now: Date,
    window: { behind: number; ahead: number },
  ): number {
    const secret = Secret.fromBase32(
      this.ctx.secrets.open(device.seed_base32, sealedContext.mfaSeed(device.serial_number)),
    );
    const current = Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);
    let matched: number | undefined;
    for (let counter = current - window.behind; counter <= current + window.ahead; counter++) {
      if (
        HOTP.generate({ secret, counter }) === String(code1) &&
        HOTP.generate({ secret, counter: counter + 1 }) === String(code2)
      ) {
        matched = counter + 1;
      }
    }
    if (matched === undefined) throw invalidAuthenticationCode();
    return matched;
  }

  async deactivate(accountId: string, userName: string | undefined, serialInput: string): Promise<void> {
    const serial = serialInput;
    const owner = userName ? (await requireUser(this.ctx.db, accountId, userName)).user_id : ROOT;
    await this.ctx.write(accountId, async (trx) => {
      const result = await trx
        .updateTable('iam_mfa_devices')
        .set({ assigned_to: null, enabled_at: null, last_counter: null })
        .where('serial_number', '=', serial)
        .where('account_id', '=', accountId)
        .where('assigned_to', '=', owner)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0)
        throw noSuchEntity(`MFA Device with serial number ${serial} does not exist.`);
    });
  }

  async deleteVirtual(accountId: string, serialInput: string): Promise<void> {
    const serial = serialInput;
    await this.ctx.write(accountId, async (trx) => {
      const device = await trx
        .selectFrom('iam_mfa_devices')
        .select('assigned_to')
        .where('serial_number', '=', serial)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!device) throw noSuchEntity(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
      if (device.assigned_to) throw deleteConflict('MFA device is in use.');
      await trx.deleteFrom('iam_tags').where('resource_type', '=', 'mfa').where('resource_id', '=', serial).execute();
      await trx.deleteFrom('iam_mfa_devices').where('serial_number', '=', serial).execute();
    });
  }

  async listVirtual(accountId: string, assignmentStatus?: unknown) {
    const rows = await this.ctx.db
      .selectFrom('iam_mfa_devices')
      .leftJoin('iam_users', 'iam_users.user_id', 'iam_mfa_devices.assigned_to')
      .selectAll('iam_mfa_devices')
      .select([
        'iam_users.name as user_name',
        'iam_users.user_id as uid',
        'iam_users.arn as user_arn',
        'iam_users.path as user_path',
        'iam_users.created_at as user_created',
      ])
      .where('iam_mfa_devices.account_id', '=', accountId)
      .orderBy('serial_number')
      .execute();
    return rows
      .filter((r) =>
        assignmentStatus === 'Assigned'
          ? r.assigned_to !== null
          : assignmentStatus === 'Unassigned'
            ? r.assigned_to === null
            : true,
      )
      .map((r) => ({
        SerialNumber: r.serial_number,
        ...(r.assigned_to === ROOT
          ? {
              User: {
                Path: '/',
                UserName: '',
                UserId: accountId,
                Arn: `arn:aws:iam::${accountId}:root`,
                CreateDate: new Date(r.created_at),
              },
            }
          : r.user_name
            ? {
                User: {
                  Path: r.user_path,
                  UserName: r.user_name,
                  UserId: r.uid,
                  Arn: r.user_arn,
                  CreateDate: new Date(r.user_created!),
                },
              }
            : {}),
        ...(r.enabled_at ? { EnableDate: new Date(r.enabled_at) } : {}),
      }));
  }

  /** ListMFADevices: the enabled devices of a user (or of the root user). */
  async listForUser(accountId: string, userName?: string) {
    const user = userName ? await requireUser(this.ctx.db, accountId, userName) : undefined;
    const rows = await this.ctx.db
      .selectFrom('iam_mfa_devices')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('assigned_to', '=', user?.user_id ?? ROOT)
      .orderBy('serial_number')
      .execute();
    return rows.map((r) => ({
      UserName: user?.name ?? '',
      SerialNumber: r.serial_number,
      EnableDate: new Date(r.enabled_at!),
    }));
  }

  /** The device's id, for its tags: its serial number, once it is known to be the account's. */
  async idOf(accountId: string, serialNumber: string): Promise<string> {
    const row = await this.ctx.db
      .selectFrom('iam_mfa_devices')
      .select('serial_number')
      .where('serial_number', '=', serialNumber)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw noSuchEntity(`VirtualMFADevice with serial number ${serialNumber} doesn't exist.`);
    return row.serial_number;
  }

  /** Whether the caller's account has MFA on the user (or root) — for the credential report and sign-in. */
  async hasMfa(accountId: string, owner: string): Promise<boolean> {
    const row = await this.ctx.db
      .selectFrom('iam_mfa_devices')
      .select('serial_number')
      .where('account_id', '=', accountId)
      .where('assigned_to', '=', owner)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Whether `code` is a current code (±1 step) of an enabled device of the caller. With no serial number the
   * caller's devices are all tried (console sign-in). Each time step is accepted once.
   */
  async verify(caller: Caller, serialNumber: string | undefined, code: string, now: Date): Promise<boolean> {
    const owner = caller.kind === 'root' ? ROOT : caller.kind === 'user' ? caller.userId : undefined;
    if (!owner || !/^\d{6}$/.test(code)) return false;
    let query = this.ctx.db
      .selectFrom('iam_mfa_devices')
      .selectAll()
      .where('account_id', '=', caller.accountId)
      .where('assigned_to', '=', owner);
    if (serialNumber) query = query.where('serial_number', '=', serialNumber);
    const devices = await query.execute();
    const current = Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);
    for (const device of devices) {
      const secret = Secret.fromBase32(
        this.ctx.secrets.open(device.seed_base32, sealedContext.mfaSeed(device.serial_number)),
      );
      for (const counter of [current, current - 1, current + 1]) {
        if (device.last_counter !== null && counter <= Number(device.last_counter)) continue;
        if (HOTP.generate({ secret, counter }) !== code) continue;
        const claimed = await this.ctx.db
          .updateTable('iam_mfa_devices')
          .set({ last_counter: counter })
          .where('serial_number', '=', device.serial_number)
          .where((eb) => eb.or([eb('last_counter', 'is', null), eb('last_counter', '<', counter)]))
          .executeTakeFirst();
        return Number(claimed.numUpdatedRows) === 1;
      }
    }
    return false;
  }
}
