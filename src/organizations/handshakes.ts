/**
 * Handshakes: the two- or more-party agreements of Organizations. The management account invites an
 * existing account (by id or by its root email; InviteAccountToOrganization) and the invited account accepts
 * or declines; EnableAllFeatures asks every invited member to approve (APPROVE_ALL_FEATURES), and once all
 * have, the ENABLE_ALL_FEATURES handshake is OPEN for the management account to accept. A handshake is
 * REQUESTED (or OPEN) until accepted, declined or canceled, and EXPIRED 15 days after it was requested (by
 * the injected clock), as in AWS.
 *
 * Every transition locks the organization's row, then the handshake's, and checks the state it read under
 * that lock: of two concurrent transitions (accept and cancel) one wins and the other finds the handshake
 * no longer open (InvalidHandshakeTransitionException).
 */
import type { HandshakeFilter, HandshakeParty, Tag } from '../contracts/wire/organizations.js';
import { accountDetails, accountIdByEmail, lockAccount } from '../iam/member-accounts.js';
import { countOf } from '../store/dialect.js';
import { lockRow } from '../store/locks.js';
import type { OrgHandshakeAction, OrgHandshakeState, OrgHandshakeTable } from '../store/tables/organizations.js';
import type { Selectable } from 'kysely';
import type { Db, OrgCore, Trx, WriteEffects } from './core.js';
import * as errors from './errors.js';
import { ACCOUNT_ID, accountArn, handshakeArn, newHandshakeId } from './ids.js';
import { memberRow, refOf, type OrgRow } from './shapes.js';

type HandshakeRow = Selectable<OrgHandshakeTable>;

/** AWS: a handshake expires 15 days after it was requested. */
const EXPIRY_MS = 15 * 24 * 60 * 60 * 1000;
const PENDING: readonly OrgHandshakeState[] = ['REQUESTED', 'OPEN'];

export class Handshakes {
  constructor(private readonly core: OrgCore) {}

  async invite(caller: string, target: HandshakeParty, notes: string | undefined, tags: Tag[] = []) {
    return this.core.managedWrite(caller, async (trx, org) => {
      if (target.Type === 'ORGANIZATION') throw errors.invalidInput('INVALID_PARTY_TYPE_TARGET');
      if ((await this.pendingOf(trx, org, 'ENABLE_ALL_FEATURES')).length > 0) {
        throw errors.handshakeConstraintViolation('INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES');
      }
      let accountId: string | undefined;
      if (target.Type === 'ACCOUNT') {
        if (!ACCOUNT_ID.test(target.Id)) throw errors.invalidInput('INVALID_PATTERN', '(Target.Id)');
        accountId = target.Id;
      } else {
        accountId = await accountIdByEmail(trx, target.Id);
      }
      // Bursar can invite only accounts it holds: there is no one else to send an invitation to.
      if (accountId === undefined || !(await accountDetails(trx, accountId))) throw errors.accountNotFound();
      if (await memberRow(trx, accountId)) throw errors.handshakeConstraintViolation('ALREADY_IN_AN_ORGANIZATION');
      const pending = await this.pendingOf(trx, org, 'INVITE');
      if (pending.some((h) => h.recipient_account_id === accountId)) throw errors.duplicateHandshake();
      const members = await countOf(trx.selectFrom('org_accounts').where('organization_id', '=', org.organization_id));
      if (members + pending.length >= this.core.limits.accounts) {
        throw errors.handshakeConstraintViolation('ACCOUNT_NUMBER_LIMIT_EXCEEDED');
      }
      const row = await this.insert(trx, org, 'INVITE', accountId, {
        target_type: target.Type,
        target_id: target.Id,
        notes: notes ?? null,
        tags: JSON.stringify(tags),
      });
      return { Handshake: await this.shape(trx, row) };
    });
  }

  /** EnableAllFeatures: the request, and one approval asked of each invited member. */
  async enableAllFeatures(caller: string) {
    return this.core.managedWrite(caller, async (trx, org) => {
      if (org.feature_set === 'ALL') throw errors.handshakeConstraintViolation('ORGANIZATION_ALREADY_HAS_ALL_FEATURES');
      if ((await this.pendingOf(trx, org, 'ENABLE_ALL_FEATURES')).length > 0) {
        throw errors.handshakeConstraintViolation('ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION');
      }
      // Accounts the organization created agreed when it created them; invited ones must approve.
      const invited = await trx
        .selectFrom('org_accounts')
        .select('account_id')
        .where('organization_id', '=', org.organization_id)
        .where('joined_method', '=', 'INVITED')
        .where('account_id', '!=', org.management_account_id)
        .orderBy('account_id')
        .execute();
      const mgmt = org.management_account_id;
      const parent = await this.insert(trx, org, 'ENABLE_ALL_FEATURES', mgmt, {
        state: invited.length === 0 ? 'OPEN' : 'REQUESTED',
        target_type: 'ACCOUNT',
        target_id: mgmt,
      });
      for (const member of invited) {
        await this.insert(trx, org, 'APPROVE_ALL_FEATURES', member.account_id, {
          target_type: 'ACCOUNT',
          target_id: member.account_id,
          parent_handshake_id: parent.handshake_id,
        });
      }
      return { Handshake: await this.shape(trx, parent) };
    });
  }

  async accept(caller: string, handshakeId: string) {
    return this.transition(caller, handshakeId, 'ACCEPTED', async (trx, effects, org, row) => {
      if (row.action === 'INVITE') await this.join(trx, effects, org, row);
      if (row.action === 'ENABLE_ALL_FEATURES') {
        if (row.state !== 'OPEN') throw errors.invalidHandshakeTransition();
        await this.allFeatures(trx, effects, org);
      }
    });
  }

  async decline(caller: string, handshakeId: string) {
    return this.transition(caller, handshakeId, 'DECLINED');
  }

  async cancel(caller: string, handshakeId: string) {
    return this.transition(caller, handshakeId, 'CANCELED', async (trx, _effects, _org, row) => {
      // The approvals asked for a canceled request have nothing left to approve.
      if (row.action === 'ENABLE_ALL_FEATURES') {
        await trx
          .updateTable('org_handshakes')
          .set({ state: 'CANCELED' })
          .where('parent_handshake_id', '=', row.handshake_id)
          .where('state', 'in', PENDING)
          .execute();
      }
    });
  }

  /** The handshake's ARN, for access(): the ARN it was given when requested, or `*` when there is none. */
  async arnOf(handshakeId: string): Promise<string> {
    const row = await this.core.db
      .selectFrom('org_handshakes')
      .select('arn')
      .where('handshake_id', '=', handshakeId)
      .executeTakeFirst();
    return row?.arn ?? '*';
  }

  /** A handshake its organization's management account or its recipient may see. */
  async describe(caller: string, handshakeId: string) {
    const row = await this.visible(this.core.db, caller, handshakeId);
    return { Handshake: await this.shape(this.core.db, row) };
  }

  /** The handshakes sent to the caller's account. */
  async listForAccount(caller: string, filter: HandshakeFilter | undefined) {
    let query = this.core.db.selectFrom('org_handshakes').selectAll().where('recipient_account_id', '=', caller);
    if (filter?.ActionType !== undefined) query = query.where('action', '=', filter.ActionType as OrgHandshakeAction);
    if (filter?.ParentHandshakeId !== undefined) {
      query = query.where('parent_handshake_id', '=', filter.ParentHandshakeId);
    }
    const rows = await query.orderBy('requested_at').orderBy('handshake_id').execute();
    return Promise.all(rows.map((row) => this.shape(this.core.db, row)));
  }

  /** The handshakes the caller's organization sent (management account, or one it delegates to). */
  async listForOrganization(caller: string, filter: HandshakeFilter | undefined) {
    const org = await this.core.managedOrganization(caller);
    let query = this.core.db
      .selectFrom('org_handshakes')
      .selectAll()
      .where('organization_id', '=', org.organization_id);
    if (filter?.ActionType !== undefined) query = query.where('action', '=', filter.ActionType as OrgHandshakeAction);
    if (filter?.ParentHandshakeId !== undefined) {
      query = query.where('parent_handshake_id', '=', filter.ParentHandshakeId);
    }
    const rows = await query.orderBy('requested_at').orderBy('handshake_id').execute();
    return Promise.all(rows.map((row) => this.shape(this.core.db, row)));
  }

  // --- internals ---

  private async insert(
    trx: Trx,
    org: OrgRow,
    action: OrgHandshakeAction,
    recipient: string,
    fields: Partial<HandshakeRow> & Pick<HandshakeRow, 'target_type' | 'target_id'>,
  ): Promise<HandshakeRow> {
    const id = newHandshakeId(this.core.ids);
    const now = this.core.clock.now();
    const row: HandshakeRow = {
      handshake_id: id,
      organization_id: org.organization_id,
      arn: handshakeArn(org.management_account_id, org.organization_id, action, id),
      action,
      state: 'REQUESTED',
      recipient_account_id: recipient,
      notes: null,
      tags: '[]',
      parent_handshake_id: null,
      requested_at: now.toISOString(),
      expires_at: new Date(now.getTime() + EXPIRY_MS).toISOString(),
      ...fields,
    };
    await trx.insertInto('org_handshakes').values(row).execute();
    return row;
  }

  /** The organization's open handshakes of one action (not expired). */
  private async pendingOf(trx: Trx, org: OrgRow, action: OrgHandshakeAction): Promise<HandshakeRow[]> {
    return trx
      .selectFrom('org_handshakes')
      .selectAll()
      .where('organization_id', '=', org.organization_id)
      .where('action', '=', action)
      .where('state', 'in', PENDING)
      .where('expires_at', '>', this.core.nowIso())
      .execute();
  }

  private stateOf(row: HandshakeRow): OrgHandshakeState {
    return PENDING.includes(row.state) && row.expires_at <= this.core.nowIso() ? 'EXPIRED' : row.state;
  }

  private async visible(db: Db | Trx, caller: string, handshakeId: string): Promise<HandshakeRow> {
    const row = await db
      .selectFrom('org_handshakes')
      .selectAll()
      .where('handshake_id', '=', handshakeId)
      .executeTakeFirst();
    if (row === undefined) throw errors.handshakeNotFound();
    if (row.recipient_account_id === caller) return row;
    const org = await db
      .selectFrom('org_organizations')
      .select('management_account_id')
      .where('organization_id', '=', row.organization_id)
      .executeTakeFirst();
    if (org?.management_account_id !== caller) throw errors.handshakeNotFound();
    return row;
  }

  /**
   * Moves a handshake to `to` under the organization's and the handshake's locks: the recipient accepts or
   * declines, the management account cancels; AWS's errors for a handshake already there or closed.
   */
  private async transition(
    caller: string,
    handshakeId: string,
    to: 'ACCEPTED' | 'DECLINED' | 'CANCELED',
    effect?: (trx: Trx, effects: WriteEffects, org: OrgRow, row: HandshakeRow) => Promise<void>,
  ) {
    return this.core.write(async (trx, effects) => {
      const found = await this.visible(trx, caller, handshakeId);
      // An account joining takes its own row first, as CreateOrganization does, then the organization's.
      if (to === 'ACCEPTED' && found.action === 'INVITE') await lockAccount(trx, caller);
      await lockRow(trx, 'org_organizations', 'organization_id', found.organization_id);
      await lockRow(trx, 'org_handshakes', 'handshake_id', handshakeId);
      const row = await this.visible(trx, caller, handshakeId);
      const org = await trx
        .selectFrom('org_organizations')
        .selectAll()
        .where('organization_id', '=', row.organization_id)
        .executeTakeFirstOrThrow();
      const recipient = row.recipient_account_id === caller;
      if (
        to === 'CANCELED' ? caller !== org.management_account_id || row.action === 'APPROVE_ALL_FEATURES' : !recipient
      ) {
        throw errors.accessDenied();
      }
      const state = this.stateOf(row);
      if (state === to) throw errors.handshakeAlreadyInState();
      if (!PENDING.includes(state)) throw errors.invalidHandshakeTransition();
      await effect?.(trx, effects, org, row);
      await trx.updateTable('org_handshakes').set({ state: to }).where('handshake_id', '=', handshakeId).execute();
      if (to === 'ACCEPTED' && row.parent_handshake_id !== null)
        await this.openWhenApproved(trx, row.parent_handshake_id);
      return { Handshake: await this.shape(trx, { ...row, state: to }) };
    });
  }

  /** The invited account joins under the root, with the invitation's tags and the organization's defaults. */
  private async join(trx: Trx, effects: WriteEffects, org: OrgRow, row: HandshakeRow): Promise<void> {
    const accountId = row.recipient_account_id;
    if (await memberRow(trx, accountId)) throw errors.handshakeConstraintViolation('ALREADY_IN_AN_ORGANIZATION');
    const members = await countOf(trx.selectFrom('org_accounts').where('organization_id', '=', org.organization_id));
    if (members >= this.core.limits.accounts)
      throw errors.handshakeConstraintViolation('ACCOUNT_NUMBER_LIMIT_EXCEEDED');
    const account = await accountDetails(trx, accountId);
    if (!account) throw errors.accountNotFound();
    const rootId = await this.core.rootIdOf(trx, org);
    await trx
      .insertInto('org_accounts')
      .values({
        account_id: accountId,
        organization_id: org.organization_id,
        parent_id: rootId,
        arn: accountArn(org.management_account_id, org.organization_id, accountId),
        email: account.email,
        name: account.accountName,
        status: 'ACTIVE',
        joined_method: 'INVITED',
        joined_at: this.core.nowIso(),
        iam_user_access_to_billing: null,
      })
      .execute();
    await this.core.attachDefaults(trx, org, rootId, accountId, 'ACCOUNT');
    await this.core.putTags(trx, org, accountId, JSON.parse(row.tags) as Tag[]);
    await this.core.chainsChanged(trx, effects, [accountId]);
    effects.after.push(() => this.core.directory.setMember(accountId, refOf(org)));
  }

  /** Every member approved: the request is OPEN for the management account to accept. */
  private async openWhenApproved(trx: Trx, parentId: string): Promise<void> {
    const waiting = await countOf(
      trx.selectFrom('org_handshakes').where('parent_handshake_id', '=', parentId).where('state', '!=', 'ACCEPTED'),
    );
    if (waiting === 0) {
      await trx
        .updateTable('org_handshakes')
        .set({ state: 'OPEN' })
        .where('handshake_id', '=', parentId)
        .where('state', '=', 'REQUESTED')
        .execute();
    }
  }

  /** The organization gets all features: FullAWSAccess on its root, OUs and accounts, as at creation. */
  private async allFeatures(trx: Trx, effects: WriteEffects, org: OrgRow): Promise<void> {
    await trx
      .updateTable('org_organizations')
      .set({ feature_set: 'ALL' })
      .where('organization_id', '=', org.organization_id)
      .execute();
    const rootId = await this.core.rootIdOf(trx, org);
    await this.core.attachDefault(trx, org, rootId, 'ROOT', 'SERVICE_CONTROL_POLICY');
    const ous = await trx
      .selectFrom('org_units')
      .select('ou_id')
      .where('organization_id', '=', org.organization_id)
      .execute();
    for (const ou of ous)
      await this.core.attachDefault(trx, org, ou.ou_id, 'ORGANIZATIONAL_UNIT', 'SERVICE_CONTROL_POLICY');
    const accounts = await this.core.accountIdsOf(trx, org);
    for (const id of accounts) await this.core.attachDefault(trx, org, id, 'ACCOUNT', 'SERVICE_CONTROL_POLICY');
    await this.core.chainsChanged(trx, effects, accounts);
  }

  private async shape(db: Db | Trx, row: HandshakeRow) {
    const org = await db
      .selectFrom('org_organizations')
      .selectAll()
      .where('organization_id', '=', row.organization_id)
      .executeTakeFirst();
    const mgmt = org ? await memberRow(db, org.management_account_id) : undefined;
    const orgId = row.organization_id;
    const organization = { Type: 'ORGANIZATION', Value: orgId };
    const resources: Record<string, unknown>[] = [];
    if (row.action === 'INVITE') {
      resources.push({
        ...organization,
        Resources: [
          { Type: 'MASTER_EMAIL', Value: mgmt?.email ?? '' },
          { Type: 'MASTER_NAME', Value: mgmt?.name ?? '' },
          { Type: 'ORGANIZATION_FEATURE_SET', Value: org?.feature_set === 'ALL' ? 'FULL' : 'CONSOLIDATED_BILLING' },
        ],
      });
      resources.push({ Type: row.target_type, Value: row.target_id });
      if (row.notes !== null) resources.push({ Type: 'NOTES', Value: row.notes });
    } else {
      resources.push(organization);
      if (row.parent_handshake_id !== null)
        resources.push({ Type: 'PARENT_HANDSHAKE', Value: row.parent_handshake_id });
    }
    return {
      Id: row.handshake_id,
      Arn: row.arn,
      Parties: [
        { Id: orgId, Type: 'ORGANIZATION' },
        { Id: row.target_id, Type: row.target_type },
      ],
      State: this.stateOf(row),
      RequestedTimestamp: new Date(row.requested_at),
      ExpirationTimestamp: new Date(row.expires_at),
      Action: row.action,
      Resources: resources,
    };
  }
}
