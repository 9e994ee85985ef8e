/**
 * The access matrix on the wire: `BursarService.GetAccessMatrix` (every principal × each action, or × each
 * Billing console page and button) and `BursarService.PreviewAccessChange` (the access proposed changes would
 * add and remove, per principal: the matrix before and after the changes, applied in order to a snapshot of the
 * account, never to the store).
 *
 * The principals × actions part is the IAM area's (AccessAnalysis.matrix over a snapshot); the console part
 * joins it with the Billing console's gate (BillingConsoleGate.consoleCells: the page → action map in the
 * account's action set, and the IAM-access switch), which the IAM area knows nothing of.
 *
 * Authorization: as who-can (the answer discloses what iam:GetAccountAuthorizationDetails discloses).
 */
import type { BillingConsoleGate, ConsoleCell, GateSettings } from '../../billing/console-gates/gate.js';
import { CONSOLE_COLUMNS } from '../../billing/console-gates/gate.js';
import { validationException } from '../../core/errors.js';
import { catalog } from '../../catalog/index.js';
import type {
  AccessChange as WireChange,
  AccessDelta as AccessDeltaWire,
  PrincipalAccessChange,
  GetAccessMatrixRequest,
  GetAccessMatrixResponse,
  PreviewAccessChangeRequest,
  PreviewAccessChangeResponse,
} from '../../contracts/wire/bursar.js';
import type { Operation } from '../../core/operation.js';
import { resourceNotFound } from '../../core/errors.js';
import { applyChange, type AccessChange, type AccountSnapshot, type ChangeReach } from '../../iam/access-snapshot.js';
import type { AccessDecision, MatrixRow, StatementSource } from '../../iam/access-analysis.js';
import { malformedPolicyDocument } from '../../iam/errors.js';
import { parseDocument } from '../../policy/index.js';
import { access, accountsInScope, analysis, scope, type Ctx, type WhoCanServices } from './who-can.js';

/** What the matrix has as columns: actions (patterns expanded by the catalog), or the Billing console's pages. */
type Columns = { kind: 'actions'; patterns: readonly string[] } | { kind: 'pages' };

const DEFAULT_ACTIONS = ['aws-portal:*'];

/** One account as the matrix reads it: its IAM snapshot and the console gate's settings. */
interface AccountState {
  snapshot: AccountSnapshot;
  settings: GateSettings;
}

interface Cell {
  decision: AccessDecision;
  /** For a console column: why denied, what is missing. */
  console?: ConsoleCell;
  /** The actions behind the cell (one for an action column), each with its matrix cell. */
  actions: string[];
}

interface Row {
  matrix: MatrixRow;
  cells: Cell[];
  /** Each asked action's index in `matrix.cells`. */
  index: Map<string, number>;
}

export interface Matrix {
  columns: { id: string; kind: 'action' | 'page' | 'button'; label: string; pageId?: string; buttonId?: string }[];
  accounts: { accountId: string; settings: GateSettings }[];
  rows: Row[];
}

function columnsOf(input: { Actions?: string[]; Pages?: string }): Columns {
  if (input.Actions !== undefined && input.Pages !== undefined) {
    throw validationException('Ask for Actions or for Pages, not both.');
  }
  if (input.Pages !== undefined) return { kind: 'pages' };
  return { kind: 'actions', patterns: input.Actions ?? DEFAULT_ACTIONS };
}

function expand(patterns: readonly string[]): string[] {
  const actions: string[] = [];
  for (const pattern of patterns) {
    if (!/^[a-zA-Z0-9-*?]+:[a-zA-Z0-9*?]+$/.test(pattern)) {
      throw validationException(`Each action must be service:Action (wildcards allowed): ${pattern}`);
    }
    const concrete = catalog().expandAction(pattern);
    if (concrete.length === 0) throw validationException(`No known action matches ${pattern}.`);
    actions.push(...concrete);
  }
  return [...new Set(actions)];
}

/** The matrix over these accounts' states. */
export async function computeMatrix(
  ctx: Ctx,
  gate: BillingConsoleGate,
  states: readonly AccountState[],
  columns: Columns,
): Promise<Matrix> {
  const found = analysis(ctx);
  const actionColumns = columns.kind === 'actions' ? expand(columns.patterns) : [];
  const rows: Row[] = [];
  for (const { snapshot, settings } of states) {
    const actions = columns.kind === 'actions' ? actionColumns : gate.consoleActions(settings.consoleActionSet);
    const index = new Map(actions.map((action, i) => [action, i]));
    for (const matrix of await found.matrix(snapshot, actions)) {
      const decisionOf = (action: string) => matrix.cells[index.get(action)!]!.decision;
      const cells: Cell[] =
        columns.kind === 'actions'
          ? actions.map((action, i) => ({ decision: matrix.cells[i]!.decision, actions: [action] }))
          : gate
              .consoleCells(settings, matrix.principal.caller.kind, decisionOf)
              .map((cell) => ({ decision: cell.decision, console: cell, actions: cell.actions }));
      rows.push({ matrix, cells, index });
    }
  }
  return {
    columns:
      columns.kind === 'actions'
        ? actionColumns.map((action) => ({ id: action, kind: 'action', label: action }))
        : CONSOLE_COLUMNS.map((c) => ({
            id: c.buttonId === undefined ? c.pageId : `${c.pageId}/${c.buttonId}`,
            kind: c.buttonId === undefined ? 'page' : 'button',
            label: c.label,
            pageId: c.pageId,
            ...(c.buttonId === undefined ? {} : { buttonId: c.buttonId }),
          })),
    accounts: states.map((s) => ({ accountId: s.snapshot.accountId, settings: s.settings })),
    rows,
  };
}

async function statesOf(
  ctx: Ctx,
  gate: BillingConsoleGate,
  accounts: readonly string[],
  reach?: ChangeReach,
): Promise<AccountState[]> {
  const found = analysis(ctx);
  return Promise.all(
    accounts.map(async (accountId) => ({
      snapshot: await found.snapshot(accountId, reach === undefined ? {} : { reach }),
      settings: await gate.settingsOf(accountId),
    })),
  );
}

const statement = (s: StatementSource) => ({
  PolicyType: s.policyType,
  PolicyId: s.policyId,
  Origin: s.origin,
  Via: s.via,
  StatementIndex: s.index,
  Effect: s.effect,
  ...(s.sid === undefined ? {} : { Sid: s.sid }),
});

/** A cell with the deciding statements of each action behind it (the console's "why" for a cell). */
function explainCell(row: Row, cell: Cell, column: string) {
  return {
    Column: column,
    Decision: cell.decision,
    ...(cell.console?.reason === undefined ? {} : { Reason: cell.console.reason }),
    MissingActions: cell.console?.missing ?? (cell.decision === 'denied' ? cell.actions : []),
    Actions: cell.actions.map((action) => {
      const m = row.matrix.cells[row.index.get(action)!]!;
      return {
        Action: action,
        Decision: m.decision,
        EngineDecision: m.engineDecision,
        ConditionKeys: m.conditionKeys,
        GrantedBy: row.matrix.describe(m.granted).map(statement),
        DeniedBy: row.matrix.describe(m.denied).map(statement),
        LimitedBy: m.limitedBy,
      };
    }),
  };
}

const getAccessMatrix: Operation<WhoCanServices, GetAccessMatrixRequest, GetAccessMatrixResponse> = {
  service: 'bursar',
  name: 'GetAccessMatrix',
  access,
  mutates: false,
  handler: async (input, ctx) => {
    const gate = ctx.services.billingConsoleGate;
    const columns = columnsOf(input);
    const matrix = await computeMatrix(
      ctx,
      gate,
      await statesOf(ctx, gate, await accountsInScope(input, ctx)),
      columns,
    );
    let rows = matrix.rows;
    if (input.Principal !== undefined) {
      const wanted = input.Principal;
      rows = rows.filter((r) => r.matrix.principal.arn === wanted || r.matrix.principal.name === wanted);
      if (rows.length === 0) throw resourceNotFound(`No principal ${wanted}.`);
    }
    return {
      Columns: matrix.columns.map((c) => ({
        Id: c.id,
        Kind: c.kind,
        Label: c.label,
        ...(c.pageId === undefined ? {} : { PageId: c.pageId }),
        ...(c.buttonId === undefined ? {} : { ButtonId: c.buttonId }),
      })),
      Accounts: matrix.accounts.map((a) => ({
        AccountId: a.accountId,
        ConsoleActionSet: a.settings.consoleActionSet,
        IamAccessToBilling: a.settings.iamAccessToBilling,
      })),
      Principals: rows.map((row) => {
        const p = row.matrix.principal;
        return {
          AccountId: p.accountId,
          PrincipalType: p.principalType,
          Name: p.name,
          Arn: p.arn,
          Groups: row.matrix.groups,
          Decisions: row.cells.map((c) => c.decision),
          ...(input.Explain === true
            ? { Cells: row.cells.map((cell, i) => explainCell(row, cell, matrix.columns[i]!.id)) }
            : {}),
        };
      }),
    };
  },
};

/** How much access a decision gives, to tell gained from lost. */
const RANK: Record<AccessDecision, number> = { denied: 0, conditional: 1, allowed: 2 };

/** Per principal, the cells whose decision differs between two matrices over the same columns. */
export function accessDelta(before: Matrix, after: Matrix): PrincipalAccessChange[] {
  const previous = new Map(before.rows.map((row) => [row.matrix.principal.arn, row]));
  const changes: PrincipalAccessChange[] = [];
  for (const row of after.rows) {
    const was = previous.get(row.matrix.principal.arn);
    const gained: AccessDeltaWire[] = [];
    const lost: AccessDeltaWire[] = [];
    for (const [i, cell] of row.cells.entries()) {
      const old = was?.cells[i]?.decision ?? 'denied';
      if (old === cell.decision) continue;
      const column = after.columns[i]!;
      const delta = { Column: column.id, Label: column.label, Before: old, After: cell.decision };
      (RANK[cell.decision] > RANK[old] ? gained : lost).push(delta);
    }
    if (gained.length + lost.length === 0) continue;
    const p = row.matrix.principal;
    changes.push({
      AccountId: p.accountId,
      PrincipalType: p.principalType,
      Name: p.name,
      Arn: p.arn,
      Gained: gained,
      Lost: lost,
    });
  }
  return changes;
}

/** The change as the snapshot applies it, or the console settings it overrides. */
function changeOf(change: WireChange): AccessChange | Partial<GateSettings> {
  const need = <K extends keyof WireChange>(key: K): NonNullable<WireChange[K]> => {
    const value = change[key];
    if (value === undefined) throw validationException(`A ${change.Type} change needs ${key}.`);
    return value as NonNullable<WireChange[K]>;
  };
  switch (change.Type) {
    case 'AttachPolicy':
    case 'DetachPolicy':
      return {
        kind: change.Type === 'AttachPolicy' ? 'attach-policy' : 'detach-policy',
        entityType: need('EntityType'),
        entityName: need('EntityName'),
        policyArn: need('PolicyArn'),
      };
    case 'AddUserToGroup':
    case 'RemoveUserFromGroup':
      return {
        kind: change.Type === 'AddUserToGroup' ? 'add-user-to-group' : 'remove-user-from-group',
        userName: need('UserName'),
        groupName: need('GroupName'),
      };
    case 'CreatePolicyVersion': {
      const document = need('PolicyDocument');
      const parsed = parseDocument(document);
      if (!parsed.ok) throw malformedPolicyDocument(parsed.errors.join('; '));
      return { kind: 'policy-version', policyArn: need('PolicyArn'), document };
    }
    case 'SetIamAccessToBilling':
      return { iamAccessToBilling: need('IamAccessToBilling') };
    case 'SetConsoleActionSet':
      return { consoleActionSet: need('ConsoleActionSet') };
  }
}

const previewAccessChange: Operation<WhoCanServices, PreviewAccessChangeRequest, PreviewAccessChangeResponse> = {
  service: 'bursar',
  name: 'PreviewAccessChange',
  access,
  mutates: false,
  handler: async (input, ctx) => {
    const gate = ctx.services.billingConsoleGate;
    const columns = columnsOf(input);
    const { accountId } = scope(input, ctx);
    const changes = input.Changes.map(changeOf);
    const attached = changes.flatMap((c) => ('kind' in c && c.kind === 'attach-policy' ? [c.policyArn] : []));
    const before: AccountState = {
      snapshot: await analysis(ctx).snapshot(accountId, { extraPolicies: attached }),
      settings: await gate.settingsOf(accountId),
    };
    // The changes in order, as a caller would make them one after another.
    const after = changes.reduce<AccountState>(
      (state, change) =>
        'kind' in change
          ? { snapshot: applyChange(state.snapshot, change), settings: state.settings }
          : { snapshot: state.snapshot, settings: { ...state.settings, ...change } },
      before,
    );
    const [was, will] = await Promise.all([
      computeMatrix(ctx, gate, [before], columns),
      computeMatrix(ctx, gate, [after], columns),
    ]);
    return { Changes: accessDelta(was, will) };
  },
};

export const accessMatrixOperations = [getAccessMatrix, previewAccessChange];

/**
 * The principals an IAM change can reach, from its input: the user named (AddUserToGroup names the user and the
 * group: only the user's access changes), else the group's members, else the role; undefined for a change that
 * can reach anyone (a new policy version, the console settings).
 */
function reachOf(input: Record<string, unknown>): ChangeReach | undefined {
  const name = (key: string) => (typeof input[key] === 'string' ? (input[key] as string) : undefined);
  const [userName, groupName, roleName] = [name('UserName'), name('GroupName'), name('RoleName')];
  if (userName !== undefined) return { userName };
  if (groupName !== undefined) return { groupName };
  if (roleName !== undefined) return { roleName };
  return undefined;
}

/** The operations whose change can alter who may use the Billing console, by `service:Name`. */
const ACCESS_CHANGING = new Set([
  ...[
    'AttachUserPolicy',
    'AttachGroupPolicy',
    'AttachRolePolicy',
    'DetachUserPolicy',
    'DetachGroupPolicy',
    'DetachRolePolicy',
    'PutUserPolicy',
    'PutGroupPolicy',
    'PutRolePolicy',
    'DeleteUserPolicy',
    'DeleteGroupPolicy',
    'DeleteRolePolicy',
    'AddUserToGroup',
    'RemoveUserFromGroup',
    'CreatePolicyVersion',
    'SetDefaultPolicyVersion',
    'PutUserPermissionsBoundary',
    'DeleteUserPermissionsBoundary',
    'PutRolePermissionsBoundary',
    'DeleteRolePermissionsBoundary',
  ].map((name) => `iam:${name}`),
  'billing:UpdateIAMAccessPreference',
  'aws-portal:UpdateConsoleActionSetEnforced',
]);

/**
 * Wraps an operation that can change who may use the Billing console so that its audit event records the
 * access it added and removed: the caller's account's console matrix before and after the change (the pages
 * and buttons each principal gained and lost; nothing when no principal's access changed). Any other operation
 * is returned as it is. The recording never fails the change: a matrix that cannot be computed leaves the event
 * without it.
 */
export function recordAccessChanges(services: WhoCanServices) {
  const gate = services.billingConsoleGate;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each area's operations have their own services
  return <T extends Operation<any, any, any>>(operation: T): T => {
    if (!ACCESS_CHANGING.has(`${operation.service}:${operation.name}`)) return operation;
    return {
      ...operation,
      handler: async (input: unknown, ctx: Parameters<T['handler']>[1]) => {
        const own: Ctx = { caller: ctx.caller, facts: ctx.facts, services };
        const reach = reachOf(input as Record<string, unknown>);
        const matrix = () =>
          statesOf(own, gate, [ctx.caller.accountId], reach).then((states) =>
            computeMatrix(own, gate, states, { kind: 'pages' }),
          );
        const before = await matrix().catch(() => undefined);
        const output: unknown = await operation.handler(input, ctx);
        const after = before === undefined ? undefined : await matrix().catch(() => undefined);
        const changes = before === undefined || after === undefined ? [] : accessDelta(before, after);
        if (changes.length > 0) {
          ctx.addToAudit?.({
            accessChanges: changes.map((change) => ({
              principalArn: change.Arn ?? '',
              principalType: change.PrincipalType ?? '',
              name: change.Name ?? '',
              gained: (change.Gained ?? []).map((d) => d.Column ?? ''),
              lost: (change.Lost ?? []).map((d) => d.Column ?? ''),
            })),
          });
        }
        return output;
      },
    };
  };
}
