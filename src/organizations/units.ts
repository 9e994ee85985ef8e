/**
 * Organizational units and the tree: create, describe, rename, delete OUs (AWS's depth and number quotas,
 * unique names under one parent), and the parent/child reads over roots, OUs and accounts.
 */
import type { Tag } from '../contracts/wire/organizations.js';
import { countOf } from '../store/dialect.js';
import { onUnique, type OrgCore } from './core.js';
import * as errors from './errors.js';
import { ACCOUNT_ID, newOuId, OU_ID, ouArn, ROOT_ID } from './ids.js';
import { ouShape, type OuRow } from './shapes.js';

export class OrganizationalUnits {
  constructor(private readonly core: OrgCore) {}

  async create(caller: string, parentId: string, name: string, tags: Tag[] = []) {
    return this.core.write(async (trx) => {
      const org = await this.core.managedOrg(trx, caller);
      const parent = await this.core.findParent(trx, org, parentId);
      if (!parent) throw errors.parentNotFound();
      const count = await countOf(trx.selectFrom('org_units').where('organization_id', '=', org.organization_id));
      if (count >= this.core.limits.organizationalUnits) throw errors.constraintViolation('OU_NUMBER_LIMIT_EXCEEDED');
      if (parent.depth + 1 > this.core.limits.ouDepth) throw errors.constraintViolation('OU_DEPTH_LIMIT_EXCEEDED');
      await this.core.checkOuNameFree(trx, parentId, name);
      const rootId = parent.rootId;
      const ouId = newOuId(this.core.ids, rootId);
      const row: OuRow = {
        ou_id: ouId,
        organization_id: org.organization_id,
        parent_id: parentId,
        name,
        arn: ouArn(org.management_account_id, org.organization_id, ouId),
        created_at: this.core.nowIso(),
      };
      await trx.insertInto('org_units').values(row).execute().catch(onUnique(errors.duplicateOu));
      await this.core.attachDefaults(trx, org, rootId, ouId, 'ORGANIZATIONAL_UNIT');
      await this.core.putTags(trx, org, ouId, tags);
      return { OrganizationalUnit: ouShape(row) };
    });
  }

  async describe(caller: string, ouId: string) {
    const org = await this.core.managedOrg(this.core.db, caller);
    return { OrganizationalUnit: ouShape(await this.core.requireOu(this.core.db, org, ouId)) };
  }

  async update(caller: string, ouId: string, name: string | undefined) {
    return this.core.write(async (trx) => {
      const org = await this.core.managedOrg(trx, caller);
      const ou = await this.core.requireOu(trx, org, ouId);
      if (name === undefined || name === ou.name) return { OrganizationalUnit: ouShape(ou) };
      await this.core.checkOuNameFree(trx, ou.parent_id, name);
      await trx
        .updateTable('org_units')
        .set({ name })
        .where('ou_id', '=', ouId)
        .execute()
        .catch(onUnique(errors.duplicateOu));
      return { OrganizationalUnit: ouShape({ ...ou, name }) };
    });
  }

  async delete(caller: string, ouId: string): Promise<void> {
    await this.core.write(async (trx) => {
      const org = await this.core.managedOrg(trx, caller);
      await this.core.requireOu(trx, org, ouId);
      const childOus = await countOf(trx.selectFrom('org_units').where('parent_id', '=', ouId));
      const childAccounts = await countOf(trx.selectFrom('org_accounts').where('parent_id', '=', ouId));
      if (childOus + childAccounts > 0) throw errors.ouNotEmpty();
      await trx
        .deleteFrom('org_policy_attachments')
        .where('organization_id', '=', org.organization_id)
        .where('target_id', '=', ouId)
        .execute();
      await trx.deleteFrom('org_tags').where('resource_id', '=', ouId).execute();
      await trx.deleteFrom('org_units').where('ou_id', '=', ouId).execute();
    });
  }

  async listForParent(caller: string, parentId: string) {
    const org = await this.core.managedOrg(this.core.db, caller);
    if (!(await this.core.findParent(this.core.db, org, parentId))) throw errors.parentNotFound();
    const rows = await this.core.db
      .selectFrom('org_units')
      .selectAll()
      .where('parent_id', '=', parentId)
      .orderBy('created_at')
      .orderBy('ou_id')
      .execute();
    return rows.map(ouShape);
  }

  async listParents(caller: string, childId: string) {
    const org = await this.core.managedOrg(this.core.db, caller);
    let parentId: string | undefined;
    if (ACCOUNT_ID.test(childId)) {
      parentId = (await this.core.memberOf(this.core.db, org, childId))?.parent_id;
    } else if (OU_ID.test(childId)) {
      parentId = (await this.core.findOu(this.core.db, org, childId))?.parent_id;
    } else {
      throw errors.invalidInput('INVALID_PATTERN', '(ChildId)');
    }
    if (parentId === undefined) throw errors.childNotFound();
    return [{ Id: parentId, Type: ROOT_ID.test(parentId) ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }];
  }

  async listChildren(caller: string, parentId: string, childType: 'ACCOUNT' | 'ORGANIZATIONAL_UNIT') {
    const org = await this.core.managedOrg(this.core.db, caller);
    if (!(await this.core.findParent(this.core.db, org, parentId))) throw errors.parentNotFound();
    const ids =
      childType === 'ACCOUNT'
        ? (await this.core.accountsUnder(parentId)).map((a) => a.account_id)
        : (
            await this.core.db
              .selectFrom('org_units')
              .select('ou_id')
              .where('parent_id', '=', parentId)
              .orderBy('created_at')
              .orderBy('ou_id')
              .execute()
          ).map((o) => o.ou_id);
    return ids.map((Id) => ({ Id, Type: childType }));
  }
}
