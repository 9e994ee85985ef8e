/**
 * The Billing console's gate: may this caller open this page, or press this button? It decides nothing
 * itself beyond the account-level rule AWS puts in front of IAM (the "IAM user and role access to Billing
 * information" switch); every action the page needs is put to the one authorize() choke point, so the
 * same policy engine, SCPs and audit apply as for any API call.
 */
import { ServiceError } from '../operations/errors.js';
import { AccessDeniedError } from '../operations/invoke.js';
import type { AccessRequest, Caller, RequestFacts } from '../operations/types.js';
import type { Decision } from '../policy/types.js';
import { consolePage, requiredActions, type ConsoleActionSet, type ConsolePage } from './pages.js';
import type { BillingConsoleSettingsStore } from './settings.js';

/** The Edge's authorize(): one question, one decision (and its audit). */
export type Authorize = (
  caller: Caller,
  facts: RequestFacts,
  request: AccessRequest,
) => Promise<{ decision: Decision }>;

/** Expands an action pattern (`billing:Get*`) to the concrete actions the catalog knows. */
export type ExpandAction = (pattern: string) => readonly string[];

export interface GateDeps {
  settings: BillingConsoleSettingsStore;
  authorize: Authorize;
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

export class BillingConsoleGate {
  constructor(private readonly deps: GateDeps) {}

  /** null when allowed; otherwise what AWS would show. */
  async check(caller: Caller, facts: RequestFacts, pageId: string, buttonId?: string): Promise<GateDenial | null> {
    const page = consolePage(pageId);
    if (page === undefined) throw new ServiceError('ValidationError', `Unknown console page: ${pageId}`, 400);
    if (buttonId !== undefined && page.buttons[buttonId] === undefined) {
      throw new ServiceError('ValidationError', `Unknown button ${buttonId} on console page ${pageId}`, 400);
    }
    const settings = await this.deps.settings.get(caller.accountId);
    const actionSet = settings.consoleActionSet;
    if (caller.kind !== 'root' && page.governed && !settings.iamAccessToBilling) {
      return {
        kind: 'page',
        title: YOU_NEED_PERMISSIONS,
        message: YOU_NEED_PERMISSIONS_BODY,
        reason: 'iam-access-off',
        missingActions: [],
        actionSet,
      };
    }
    const viewMissing = await this.missing(caller, facts, requiredActions(page, actionSet));
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
    if (buttonId === undefined) return null;
    const buttonMissing = await this.missing(caller, facts, this.buttonOnly(page, actionSet, buttonId));
    if (buttonMissing.length === 0) return null;
    return {
      kind: 'action',
      title: 'Access Denied',
      message: accessDeniedMessage(buttonMissing),
      reason: 'policy',
      missingActions: buttonMissing,
      actionSet,
    };
  }

  /** Throws AWS's AccessDenied with the console's wording when the gate refuses (invoke() audits it). */
  async require(caller: Caller, facts: RequestFacts, pageId: string, buttonId?: string): Promise<void> {
    const denial = await this.check(caller, facts, pageId, buttonId);
    if (denial !== null) {
      const message = denial.kind === 'page' ? `${denial.title}: ${denial.message}` : denial.message;
      throw new AccessDeniedError(
        message,
        denial.reason === 'iam-access-off' ? 'ExplicitlyDenied' : 'ImplicitlyDenied',
      );
    }
  }

  private buttonOnly(page: ConsolePage, set: ConsoleActionSet, buttonId: string): string[] {
    const viewed = new Set(requiredActions(page, set));
    return requiredActions(page, set, buttonId).filter((a) => !viewed.has(a));
  }

  /** The actions (AWS notation) of which at least one concrete action is not allowed. */
  private async missing(caller: Caller, facts: RequestFacts, patterns: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const pattern of patterns) {
      const concrete = pattern.includes('*') ? this.deps.expandAction(pattern) : [pattern];
      for (const action of concrete.length > 0 ? concrete : [pattern]) {
        const { decision } = await this.deps.authorize(caller, facts, { action, resource: '*' });
        if (decision !== 'Allowed') {
          missing.push(pattern);
          break;
        }
      }
    }
    return missing;
  }
}
