/**
 * Cost Explorer's cost categories, per account: named rule lists that map each line item to a value (the first
 * rule whose expression matches, else DefaultValue). Bursar keeps the definition in AWS's shape and checks it
 * as AWS does: rule expressions over the dimensions Bursar's cost engine knows (`DIMENSIONS`), tags, and other
 * cost categories of the account. The ARN is `arn:aws:ce::ACCOUNT:costcategory/UUID`.
 * The operations over them are in src/operations/ce/cost-categories.ts.
 */
import type { Kysely } from 'kysely';
import { resourceNotFound, validationException } from '../../core/errors.js';
import { ceQuotaExceeded } from '../errors.js';
import type { Billing } from '../billing.js';
import type { Clock } from '../../platform/clock.js';
import { uuid, type IdSource } from '../../platform/ids.js';
import { accountWrite } from '../../store/locks.js';
import type { Database } from '../../store/schema.js';
import { DIMENSIONS, type CostCategoryRule, type CostCategoryRules, type Expression } from './cost-query.js';
import { isCalendarDay } from '../../platform/calendar.js';

export interface SplitChargeRule {
  Source: string;
  Targets: string[];
  Method: string;
  Parameters?: Array<{ Type: string; Values: string[] }>;
}

/** The members a definition's writer gives (CreateCostCategoryDefinition, UpdateCostCategoryDefinition). */
export interface CostCategoryDefinition {
  RuleVersion: string;
  Rules: CostCategoryRule[];
  DefaultValue?: string;
  SplitChargeRules?: SplitChargeRule[];
}

/** AWS's quota of cost categories per account. */
const COST_CATEGORY_QUOTA = 50;

/** AWS's name and value rule: letters, digits, spaces, `-` and `_`, no leading or trailing space, 1–50 long. */
const NAME = /^(?! )[\p{L}\p{N}\p{Z}_-]{1,50}(?<! )$/u;
const MATCH_OPTIONS = new Set([
  'EQUALS',
  'ABSENT',
  'STARTS_WITH',
  'ENDS_WITH',
  'CONTAINS',
  'CASE_SENSITIVE',
  'CASE_INSENSITIVE',
]);
const SPLIT_METHODS = new Set(['FIXED', 'PROPORTIONAL', 'EVEN']);

// Cost Explorer answers "not found" with 400, not the usual 404 (core/errors.ts SERVICE_STATUS).
const notFound = (arn: string) => resourceNotFound(`No Cost Categories found with ID ${arn}`, 'ce');

export const costCategoryArn = (accountId: string, id: string) => `arn:aws:ce::${accountId}:costcategory/${id}`;

function categoryIdOf(accountId: string, arn: string): string | undefined {
  const prefix = costCategoryArn(accountId, '');
  const id = arn.startsWith(prefix) ? arn.slice(prefix.length) : '';
  return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}

export function checkName(what: string, value: string | undefined): string {
  if (value === undefined || !NAME.test(value)) {
    throw validationException(
      `${what} must be 1 to 50 letters, digits, spaces, '-' or '_', without a leading or trailing space.`,
    );
  }
  return value;
}

/** Checks an expression, adding the names of the cost categories it refers to to `references`. */
export function checkExpression(expression: Expression | undefined, references: Set<string>): void {
  if (expression === undefined) throw validationException('Each REGULAR rule needs a Rule expression.');
  const roots = (['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'] as const).filter(
    (root) => expression[root] !== undefined,
  );
  if (roots.length !== 1)
    throw validationException(
      'Expression has more than one roots. Only one root operator is allowed for each expression: And, Or, Not, Dimensions, Tags, CostCategories',
    );
  for (const list of [expression.And, expression.Or]) {
    if (list === undefined) continue;
    if (list.length < 2) throw validationException('And and Or expressions need at least two operands.');
    for (const child of list) checkExpression(child, references);
  }
  if (expression.Not !== undefined) checkExpression(expression.Not, references);
  const leaf = expression.Dimensions ?? expression.Tags ?? expression.CostCategories;
  if (leaf === undefined) return;
  if (expression.Dimensions !== undefined && DIMENSIONS[leaf.Key] === undefined) {
    throw validationException(
      `Dimension ${leaf.Key} is not supported in cost category rules; use one of ${Object.keys(DIMENSIONS).join(', ')}.`,
    );
  }
  if (expression.Tags !== undefined && !leaf.Key) throw validationException('A Tags expression needs a Key.');
  if (expression.CostCategories !== undefined) references.add(checkName('A CostCategories Key', leaf.Key));
  for (const option of leaf.MatchOptions ?? []) {
    if (!MATCH_OPTIONS.has(option))
      throw validationException(`MatchOption ${option} is not valid in cost category rules.`);
  }
  const absent = (leaf.MatchOptions ?? []).includes('ABSENT');
  if (!absent && (leaf.Values ?? []).length === 0)
    throw validationException('Values is required unless MatchOptions is ABSENT.');
}

/**
 * Checks a definition as AWS does, and returns the names of the other cost categories its rules refer to (the
 * caller checks they exist).
 */
export function checkDefinition(definition: CostCategoryDefinition): Set<string> {
  if (definition.RuleVersion !== 'CostCategoryExpression.v1') {
    throw validationException(`RuleVersion ${definition.RuleVersion} is not supported; use CostCategoryExpression.v1.`);
  }
  const rules = definition.Rules ?? [];
  if (rules.length < 1 || rules.length > 500) throw validationException('Rules must have 1 to 500 rules.');
  const references = new Set<string>();
  const values = new Set<string>();
  for (const rule of rules) {
    if ((rule.Type ?? 'REGULAR') === 'REGULAR') {
      values.add(checkName('A rule Value', rule.Value));
      checkExpression(rule.Rule, references);
    } else if (rule.Type === 'INHERITED_VALUE') {
      const inherited = rule.InheritedValue;
      if (inherited?.DimensionName !== 'LINKED_ACCOUNT_NAME' && inherited?.DimensionName !== 'TAG') {
        throw validationException(
          'An INHERITED_VALUE rule needs InheritedValue.DimensionName LINKED_ACCOUNT_NAME or TAG.',
        );
      }
      if (inherited.DimensionName === 'TAG' && !inherited.DimensionKey) {
        throw validationException('An INHERITED_VALUE rule of a TAG needs InheritedValue.DimensionKey.');
      }
    } else {
      throw validationException(`Rule type ${String(rule.Type)} is not valid; use REGULAR or INHERITED_VALUE.`);
    }
  }
  if (definition.DefaultValue !== undefined) checkName('DefaultValue', definition.DefaultValue);
  const splits = definition.SplitChargeRules ?? [];
  if (splits.length > 10) throw validationException('SplitChargeRules must have at most 10 rules.');
  for (const split of splits) {
    // A split charge moves one value's cost onto others of the same category.
    if (!values.has(split.Source) || split.Targets.some((t) => !values.has(t) || t === split.Source)) {
      throw validationException('Split charge rule sources and targets must be distinct values of this cost category.');
    }
    if (!SPLIT_METHODS.has(split.Method))
      throw validationException(`Split charge method ${split.Method} is not valid.`);
  }
  return references;
}

const monthStart = (date: Date) => `${date.toISOString().slice(0, 7)}-01T00:00:00Z`;

/**
 * AWS's EffectiveStart rule: the first day of a month, 00:00 UTC, not in the future nor more than twelve months
 * back; the current month's when not given.
 */
function effectiveStart(given: string | undefined, now: Date): string {
  const current = monthStart(now);
  if (given === undefined) return current;
  const month = /^(\d{4}-\d{2})-01T00:00:00(?:Z|[+-]00:00)$/.exec(given)?.[1];
  if (month === undefined || !isCalendarDay(`${month}-01`)) {
    throw validationException('EffectiveStart must be the first day of a month at 00:00:00 UTC.');
  }
  const earliest = new Date(current);
  earliest.setUTCMonth(earliest.getUTCMonth() - 12);
  const start = `${month}-01T00:00:00Z`;
  if (start > current || start < monthStart(earliest)) {
    throw validationException('EffectiveStart cannot be in the future or more than 12 months in the past.');
  }
  return start;
}

type Row = Database['ce_cost_category'];

const PROCESSING_STATUS = [{ Component: 'COST_EXPLORER', Status: 'APPLIED' }];

export class CostCategories {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  async create(
    accountId: string,
    name: string,
    definition: CostCategoryDefinition,
    tags: Array<{ Key: string; Value: string }>,
    start?: string,
  ): Promise<{ CostCategoryArn: string; EffectiveStart: string }> {
    const references = checkDefinition(definition);
    const now = this.clock.now();
    const effective = effectiveStart(start, now);
    const id = uuid(this.ids);
    await accountWrite(this.db, accountId, async (trx) => {
      const rows = await trx
        .selectFrom('ce_cost_category')
        .select('name')
        .where('account_id', '=', accountId)
        .execute();
      const names = new Set(rows.map((row) => row.name));
      if (names.has(name))
        throw validationException(`Failed to create Cost Category: Cost category name ${name} already exists`);
      if (rows.length >= COST_CATEGORY_QUOTA) {
        throw ceQuotaExceeded(`You've reached the limit of ${COST_CATEGORY_QUOTA} cost categories for this account.`);
      }
      checkReferences(references, names, name);
      await trx
        .insertInto('ce_cost_category')
        .values({
          account_id: accountId,
          category_id: id,
          name,
          definition: JSON.stringify(definition),
          tags: JSON.stringify(tags),
          effective_start: effective,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
      await trx
        .insertInto('ce_cost_category_version')
        .values({
          account_id: accountId,
          category_id: id,
          effective_start: effective,
          definition: JSON.stringify(definition),
        })
        .execute();
    });
    return { CostCategoryArn: costCategoryArn(accountId, id), EffectiveStart: effective };
  }

  /**
   * The category as in force now, or on `effectiveOn` (an ISO date or date-time): the version whose
   * EffectiveStart is the latest on or before it (the earliest when it is before them all), with EffectiveEnd
   * when a later version replaced it.
   */
  async describe(accountId: string, arn: string, effectiveOn?: string) {
    const row = await this.row(this.db, accountId, arn);
    let on: string | undefined;
    if (effectiveOn !== undefined) {
      const day = /^(\d{4}-\d{2}-\d{2})(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.exec(effectiveOn)?.[1];
      if (day === undefined || !isCalendarDay(day)) {
        throw validationException(`EffectiveOn ${effectiveOn} is not an ISO 8601 date.`);
      }
      on = `${day}T00:00:00Z`;
    }
    const versions = await this.db
      .selectFrom('ce_cost_category_version')
      .select(['effective_start', 'definition'])
      .where('account_id', '=', accountId)
      .where('category_id', '=', row.category_id)
      .orderBy('effective_start')
      .execute();
    const index =
      on === undefined
        ? versions.length - 1
        : Math.max(
            0,
            versions.findLastIndex((v) => v.effective_start <= on),
          );
    const version = versions[index]!;
    const next = versions[index + 1];
    const definition = JSON.parse(version.definition) as CostCategoryDefinition;
    return {
      CostCategoryArn: arn,
      EffectiveStart: version.effective_start,
      ...(next === undefined ? {} : { EffectiveEnd: next.effective_start }),
      Name: row.name,
      ...definition,
      ProcessingStatus: PROCESSING_STATUS,
    };
  }

  /** The account's categories by name, after `after` (exclusive), at most `limit`. */
  async list(accountId: string, limit: number, after?: string) {
    let query = this.db.selectFrom('ce_cost_category').selectAll().where('account_id', '=', accountId);
    if (after !== undefined) query = query.where('name', '>', after);
    const rows = await query.orderBy('name').limit(limit).execute();
    return rows.map((row) => {
      const definition = JSON.parse(row.definition) as CostCategoryDefinition;
      const values = [...new Set(definition.Rules.flatMap((rule) => (rule.Value === undefined ? [] : [rule.Value])))];
      return {
        CostCategoryArn: costCategoryArn(accountId, row.category_id),
        Name: row.name,
        EffectiveStart: row.effective_start,
        NumberOfRules: definition.Rules.length,
        ProcessingStatus: PROCESSING_STATUS,
        Values: values,
        ...(definition.DefaultValue === undefined ? {} : { DefaultValue: definition.DefaultValue }),
      };
    });
  }

  /** Replaces the rules (UpdateCostCategoryDefinition); the name, like the ARN, stays. */
  async update(accountId: string, arn: string, definition: CostCategoryDefinition, start?: string) {
    const references = checkDefinition(definition);
    const now = this.clock.now();
    const effective = effectiveStart(start, now);
    await accountWrite(this.db, accountId, async (trx) => {
      const row = await this.row(trx, accountId, arn);
      const rows = await trx
        .selectFrom('ce_cost_category')
        .select('name')
        .where('account_id', '=', accountId)
        .execute();
      checkReferences(references, new Set(rows.map((r) => r.name)), row.name);
      await trx
        .updateTable('ce_cost_category')
        .set({ definition: JSON.stringify(definition), effective_start: effective, updated_at: now.toISOString() })
        .where('account_id', '=', accountId)
        .where('category_id', '=', row.category_id)
        .execute();
      // The new rules apply from their EffectiveStart on: versions from then on are replaced, earlier ones kept.
      await trx
        .deleteFrom('ce_cost_category_version')
        .where('account_id', '=', accountId)
        .where('category_id', '=', row.category_id)
        .where('effective_start', '>=', effective)
        .execute();
      await trx
        .insertInto('ce_cost_category_version')
        .values({
          account_id: accountId,
          category_id: row.category_id,
          effective_start: effective,
          definition: JSON.stringify(definition),
        })
        .execute();
    });
    return { CostCategoryArn: arn, EffectiveStart: effective };
  }

  /** Deletes the category; its rules end now, which AWS reports as EffectiveEnd. */
  async delete(accountId: string, arn: string) {
    await accountWrite(this.db, accountId, async (trx) => {
      const row = await this.row(trx, accountId, arn);
      const rows = await trx
        .selectFrom('ce_cost_category')
        .select(['name', 'definition'])
        .where('account_id', '=', accountId)
        .execute();
      // AWS refuses to delete a category another one's rules refer to.
      const user = rows.find(
        (other) =>
          other.name !== row.name &&
          checkDefinition(JSON.parse(other.definition) as CostCategoryDefinition).has(row.name),
      );
      if (user !== undefined) {
        throw validationException(`Cost category ${row.name} is referenced by cost category ${user.name}.`);
      }
      await trx
        .deleteFrom('ce_cost_category_version')
        .where('account_id', '=', accountId)
        .where('category_id', '=', row.category_id)
        .execute();
      await trx
        .deleteFrom('ce_cost_category')
        .where('account_id', '=', accountId)
        .where('category_id', '=', row.category_id)
        .execute();
    });
    return {
      CostCategoryArn: arn,
      EffectiveEnd: this.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    };
  }

  private async row(db: Kysely<Database>, accountId: string, arn: string): Promise<Row> {
    const id = categoryIdOf(accountId, arn);
    const row =
      id === undefined
        ? undefined
        : await db
            .selectFrom('ce_cost_category')
            .selectAll()
            .where('account_id', '=', accountId)
            .where('category_id', '=', id)
            .executeTakeFirst();
    if (row === undefined) throw notFound(arn);
    return row;
  }
}

/**
 * The account's cost categories by name, as Cost Explorer's queries evaluate them: each its latest rules, from
 * their EffectiveStart, with the versions before (`Previous`), each from its own. The earliest version also
 * answers for the days before its EffectiveStart, so a category created today still groups older data.
 */
export async function costCategoryRules(billing: Billing, accountId: string): Promise<Map<string, CostCategoryRules>> {
  const rows = await billing.db
    .selectFrom('ce_cost_category as c')
    .innerJoin('ce_cost_category_version as v', (join) =>
      join.onRef('v.account_id', '=', 'c.account_id').onRef('v.category_id', '=', 'c.category_id'),
    )
    .select(['c.name', 'v.definition', 'v.effective_start'])
    .where('c.account_id', '=', accountId)
    .orderBy('c.name')
    .orderBy('v.effective_start')
    .execute();
  const categories = new Map<string, CostCategoryRules>();
  for (const row of rows) {
    const { Rules, DefaultValue } = JSON.parse(row.definition) as CostCategoryDefinition;
    const previous = categories.get(row.name);
    categories.set(row.name, {
      Rules,
      ...(DefaultValue === undefined ? {} : { DefaultValue }),
      ...(previous === undefined ? {} : { EffectiveStart: row.effective_start.slice(0, 10), Previous: previous }),
    });
  }
  return categories;
}

/** When each of the account's cost categories applies from (`YYYY-MM-01T00:00:00Z`), by name. */
export async function costCategoryStarts(billing: Billing, accountId: string): Promise<Map<string, string>> {
  const rows = await billing.db
    .selectFrom('ce_cost_category')
    .select(['name', 'effective_start'])
    .where('account_id', '=', accountId)
    .execute();
  return new Map(rows.map((row) => [row.name, row.effective_start]));
}

/** A rule may refer only to other existing cost categories of the account. */
function checkReferences(references: Set<string>, names: Set<string>, self: string): void {
  for (const reference of references) {
    if (reference === self) throw validationException(`Cost category ${self} cannot refer to itself.`);
    if (!names.has(reference)) throw validationException(`Cost category ${reference} does not exist.`);
  }
}
