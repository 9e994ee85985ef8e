/**
 * The Billing console's gate: what a console call of a page (and button) must be allowed. It decides
 * nothing itself beyond the account-level rule AWS puts in front of IAM (the "IAM user and role access to
 * Billing information" switch): it turns the page's actions, in the account's action set, into ordinary
 * access requests that invoke() puts to the engine (through its account rule, `rule`), and words the
 * refusal as the console does. CheckConsoleAccess asks the same questions through the same evaluator.
 */
import { validationError } from '../../core/errors.js';
import type { AccessRequest, Caller, RequestFacts } from '../../core/operation.js';
import {
  CONSOLE_OPERATION_GATES,
  CONSOLE_PAGES,
  consolePage,
  requiredActions,
  type ConsoleActionSet,
  type ConsolePage,
} from './pages.js';
import type { BillingConsoleSettings, BillingConsoleSettingsStore } from './settings.js';
import type { AccountRule, Evaluator, RuleDenial } from '../../core/access.js';

/** Expands an action pattern (`billing:Get*`) to the concrete actions the catalog knows. */
export type ExpandAction = (pattern: string) => readonly string[];

export interface GateDeps {
  settings: BillingConsoleSettingsStore;
  evaluate: Evaluator;
  expandAction: ExpandAction;
}

/** AWS's page-level blocker (billing-permissions.md §7). */
export const YOU_NEED_PERMISSIONS = 'You Need Permissions';
export const YOU_NEED_PERMISSIONS_BODY =
  "You don't have permission to access billing information for this account. Contact your AWS administrator if " +
  'you need help. If you are an AWS administrator, you can provide permissions for your users or groups by ' +
  'making sure that (1) this account allows IAM and federated users to access billing information and (2) you ' +
  'have the required IAM permissions.';

export interface GateDenial {
  /** `page`: the "You Need Permissions" blocker; `action`: an "Access Denied" alert on a button. */
  kind: 'page' | 'action';
  title: string;
  message: string;
  /** `iam-access-off`: the account's switch refused an IAM identity; `policy`: the engine did not allow. */
  reason: 'iam-access-off' | 'policy';
  missingActions: string[];
  actionSet: ConsoleActionSet;
}

/** How the console names a missing permission: `ModifyBilling` for the legacy set, the full action otherwise. */
function permissionName(action: string): string {
  return action.startsWith('aws-portal:') ? action.slice('aws-portal:'.length) : action;
}

export function accessDeniedMessage(missing: readonly string[]): string {
  const names = [...new Set(missing.map(permissionName))];
  return `You need ${names.join(' and ')} permissions to make changes to this page. Contact your AWS administrator if you need help.`;
}

/**
 * One page's (and button's) questions in an account's action set: a request per concrete action of each
 * action pattern, and the denial they add up to once the engine has answered.
 */
interface PageQuestions {
  requests: AccessRequest[];
  /** What AWS shows for the requests the engine did not allow (null when it allowed them all). */
  denialOf(denied: readonly AccessRequest[]): GateDenial | null;
}

/**
 * The account rule AWS puts before any policy: with the "IAM user and role access to Billing information"
 * switch off, an IAM identity is refused every page the switch governs. The root user is never subject to it.
 */
function switchRefuses(
  principalKind: Caller['kind'],
  page: ConsolePage,
  settings: Pick<BillingConsoleSettings, 'iamAccessToBilling'>,
): boolean {
  return principalKind !== 'root' && page.governed && !settings.iamAccessToBilling;
}

/** What the console's gate does, before any policy, with a principal who asks for one action. */
export interface ConsoleVerdict {
  /**
   * `allowed`: the console leaves the decision to the policies; `refused`: the IAM-access switch refuses the
   * principal the pages that ask for the action; `not-asked`: no page asks for it in the account's action set.
   */
  verdict: 'allowed' | 'refused' | 'not-asked';
  reason: string;
  actionSet: ConsoleActionSet;
  /** The pages (ids) that ask for the action in the account's action set: the refused ones when refused. */
  pages: string[];
}

/** A column of the access matrix's console view: opening a page, or one of its buttons. */
export interface ConsoleColumn {
  pageId: string;
  buttonId?: string;
  /** The page's title, or `title › button label`. */
  label: string;
}

export const CONSOLE_COLUMNS: readonly ConsoleColumn[] = CONSOLE_PAGES.flatMap((page) => [
  { pageId: page.id, label: page.title },
  ...Object.entries(page.buttons).map(([buttonId, button]) => ({
    pageId: page.id,
    buttonId,
    label: `${page.title} › ${button.label}`,
  })),
]);

/** A principal's decision on one action, as the access analysis gives it. */
export type ActionDecision = 'allowed' | 'denied' | 'conditional';

/** What a principal meets at one console column, from its decisions on the actions the column asks for. */
export interface ConsoleCell {
  decision: ActionDecision;
  /** Why it is denied: the IAM-access switch, or the policies (`missing` says which actions). */
  reason?: GateDenial['reason'];
  /** The actions (as the page lists them, wildcards kept) the policies do not allow. */
  missing: string[];
  /** The concrete actions the column asks of the engine, in the account's action set. */
  actions: string[];
  /** Those of `actions` whose decision depends on the request context. */
  conditional: string[];
}

/** The two settings the console's gate reads before any policy. */
export type GateSettings = Pick<BillingConsoleSettings, 'iamAccessToBilling' | 'consoleActionSet'>;

/** How a gate denial reads in an AccessDenied error. */
function denialText(denial: GateDenial): string {
  return denial.kind === 'page' ? `${denial.title}: ${denial.message}` : denial.message;
}

export class BillingConsoleGate {
  constructor(private readonly deps: GateDeps) {}

  /**
   * invoke()'s account rule: a console call of a billing data operation (CONSOLE_OPERATION_GATES) answers
   * to its page and button in the account's action set, and to the IAM-access switch, instead of to the
   * operation's own actions. API calls, and operations without a page, keep their plan.
   */
  readonly rule: AccountRule = async ({ caller, facts, operation, plan }) => {
    if (facts.via !== 'console') return plan;
    const gate = CONSOLE_OPERATION_GATES[`${operation.service}:${operation.name}`];
    if (gate === undefined) return plan;
    const questions = await this.questions(caller, gate.page, gate.button);
    if ('switchOff' in questions) {
      const refused: RuleDenial = { message: denialText(questions.switchOff), decision: 'ExplicitlyDenied' };
      return { requests: questions.requests, refusedByRule: refused };
    }
    return {
      requests: questions.requests,
      // invoke() words a refusal only for requests the engine refused, so there is always a denial to word.
      refusal: (denied) => denialText(questions.denialOf(denied)!),
    };
  };

  /** null when allowed; otherwise what AWS would show (CheckConsoleAccess). */
  async check(caller: Caller, facts: RequestFacts, pageId: string, buttonId?: string): Promise<GateDenial | null> {
    const questions = await this.questions(caller, pageId, buttonId);
    if ('switchOff' in questions) return questions.switchOff;
    const results = await this.deps.evaluate(caller, facts, questions.requests);
    return questions.denialOf(questions.requests.filter((_request, i) => results[i]!.decision !== 'Allowed'));
  }

  /**
   * What the console would do with a principal of `principalKind` who needs `action` on a billing page of
   * `accountId`, before any policy; null when no page asks for the action in either action set.
   */
  async verdictFor(accountId: string, principalKind: Caller['kind'], action: string): Promise<ConsoleVerdict | null> {
    const settings = await this.deps.settings.get(accountId);
    const actionSet = settings.consoleActionSet;
    const asking = (set: ConsoleActionSet) =>
      CONSOLE_PAGES.filter((page) =>
        [undefined, ...Object.keys(page.buttons)].some((buttonId) =>
          this.asked(requiredActions(page, set, buttonId)).some((q) => q.request.action === action),
        ),
      );
    const pages = asking(actionSet);
    if (pages.length === 0) {
      const otherSet: ConsoleActionSet = actionSet === 'existing' ? 'fine-grained' : 'existing';
      if (asking(otherSet).length === 0) return null;
      const reason = `The account uses the ${actionSet} console action set, whose pages do not ask for ${action}.`;
      return { verdict: 'not-asked', reason, actionSet, pages: [] };
    }
    const refused = pages.filter((page) => switchRefuses(principalKind, page, settings));
    if (refused.length > 0) {
      const reason = 'IAM user and role access to Billing information is off for this account.';
      return { verdict: 'refused', reason, actionSet, pages: refused.map((page) => page.id) };
    }
    const reason =
      principalKind === 'root'
        ? 'The root user is not subject to the IAM access switch; the console asks the policies.'
        : 'The console asks the policies (IAM access to Billing information is on, or the pages are not governed).';
    return { verdict: 'allowed', reason, actionSet, pages: pages.map((page) => page.id) };
  }

  /** The gate's settings of an account (the IAM-access switch, the console action set). */
  async settingsOf(accountId: string): Promise<GateSettings> {
    const { iamAccessToBilling, consoleActionSet } = await this.deps.settings.get(accountId);
    return { iamAccessToBilling, consoleActionSet };
  }

  /** Every concrete action some console page or button asks for in an action set. */
  consoleActions(set: ConsoleActionSet): string[] {
    const actions = CONSOLE_COLUMNS.flatMap((column) =>
      this.asked(requiredActions(consolePage(column.pageId)!, set, column.buttonId)).map((q) => q.request.action),
    );
    return [...new Set(actions)];
  }

  /**
   * What a principal of `principalKind` meets at every console column (CONSOLE_COLUMNS, in order) under these
   * settings, given its decision on each action: the same questions, in the same order, as a console call of
   * the page asks (the switch first, then the page's view actions, then the button's own).
   */
  consoleCells(settings: GateSettings, principalKind: Caller['kind'], decisionOf: (action: string) => ActionDecision) {
    return CONSOLE_COLUMNS.map((column): ConsoleCell => {
      const page = consolePage(column.pageId)!;
      const set = settings.consoleActionSet;
      const view = this.asked(requiredActions(page, set));
      const button = column.buttonId === undefined ? [] : this.asked(this.buttonOnly(page, set, column.buttonId));
      const actions = [...new Set([...view, ...button].map((q) => q.request.action))];
      const conditional = actions.filter((action) => decisionOf(action) === 'conditional');
      if (switchRefuses(principalKind, page, settings)) {
        return { decision: 'denied', reason: 'iam-access-off', missing: [], actions, conditional: [] };
      }
      const missing = (asked: readonly Question[]) => [
        ...new Set(asked.filter((q) => decisionOf(q.request.action) === 'denied').map((q) => q.pattern)),
      ];
      const refused = missing(view).length > 0 ? missing(view) : missing(button);
      if (refused.length > 0) return { decision: 'denied', reason: 'policy', missing: refused, actions, conditional };
      return { decision: conditional.length > 0 ? 'conditional' : 'allowed', missing: [], actions, conditional };
    });
  }

  /**
   * The questions a page (and button) asks of the engine in the account's action set, or the switch's
   * refusal, which comes before any policy (the root user is never subject to it).
   */
  private async questions(
    caller: Caller,
    pageId: string,
    buttonId?: string,
  ): Promise<PageQuestions | { switchOff: GateDenial; requests: AccessRequest[] }> {
    const page = consolePage(pageId);
    if (page === undefined) throw validationError(`Unknown console page: ${pageId}`);
    if (buttonId !== undefined && page.buttons[buttonId] === undefined) {
      throw validationError(`Unknown button ${buttonId} on console page ${pageId}`);
    }
    const settings = await this.deps.settings.get(caller.accountId);
    const actionSet = settings.consoleActionSet;
    const view = this.asked(requiredActions(page, actionSet));
    const button = buttonId === undefined ? [] : this.asked(this.buttonOnly(page, actionSet, buttonId));
    const requests = [...view, ...button].map((question) => question.request);
    if (switchRefuses(caller.kind, page, settings)) {
      const switchOff: GateDenial = {
        kind: 'page',
        title: YOU_NEED_PERMISSIONS,
        message: YOU_NEED_PERMISSIONS_BODY,
        reason: 'iam-access-off',
        missingActions: [],
        actionSet,
      };
      return { switchOff, requests };
    }
    return {
      requests,
      denialOf(denied) {
        const refused = new Set(denied);
        const missing = (asked: readonly Question[]) => [
          ...new Set(asked.filter((q) => refused.has(q.request)).map((q) => q.pattern)),
        ];
        const viewMissing = missing(view);
        if (viewMissing.length > 0) {
          return {
            kind: 'page',
            title: YOU_NEED_PERMISSIONS,
            message: YOU_NEED_PERMISSIONS_BODY,
            reason: 'policy',
            missingActions: viewMissing,
            actionSet,
          };
        }
        const buttonMissing = missing(button);
        if (buttonMissing.length === 0) return null;
        return {
          kind: 'action',
          title: 'Access Denied',
          message: accessDeniedMessage(buttonMissing),
          reason: 'policy',
          missingActions: buttonMissing,
          actionSet,
        };
      },
    };
  }

  private buttonOnly(page: ConsolePage, set: ConsoleActionSet, buttonId: string): string[] {
    const viewed = new Set(requiredActions(page, set));
    return requiredActions(page, set, buttonId).filter((a) => !viewed.has(a));
  }

  /** One question per concrete action an action pattern (AWS notation) stands for. */
  private asked(patterns: readonly string[]): Question[] {
    return patterns.flatMap((pattern) => {
      const concrete = pattern.includes('*') ? this.deps.expandAction(pattern) : [pattern];
      return (concrete.length > 0 ? concrete : [pattern]).map((action) => ({
        pattern,
        request: { action, resource: '*' },
      }));
    });
  }
}

/** A question to the engine and the action pattern (as the page lists it) it stands for. */
interface Question {
  pattern: string;
  request: AccessRequest;
}
