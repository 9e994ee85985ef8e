/**
 * `scenario test`: every expectation through iam:SimulatePrincipalPolicy (which AWS has too, so a file's
 * expectations run against a real account unchanged). A console expectation asks for the actions the page's
 * gate asks for (src/billing/console-gates/pages.ts, in the account's action set) and reads the IAM-access switch,
 * which refuses every governed page to IAM principals while it is off.
 */
import {
  GetRoleCommand,
  GetUserCommand,
  SimulatePrincipalPolicyCommand,
  type EvaluationResult,
} from '@aws-sdk/client-iam';
import { CONSOLE_PAGES, requiredActions } from '../billing/console-gates/pages.js';
import { catalog } from '../catalog/index.js';
import { list, type Expectation, type PolicyDocument, type Scenario } from './scenario.js';
import type { AccountState } from './state.js';
import { readState } from './state.js';
import { memberClients, type Clients } from './target.js';

export interface Outcome {
  principal: string;
  /** What was asked: an action (with its resource when given), or `console:<page>`. */
  check: string;
  expected: 'allow' | 'deny';
  got: 'allow' | 'deny';
  passed: boolean;
  /** Why it came out as it did: the deciding statements, or what was missing. */
  why: string;
  description?: string;
}

type ContextType = 'string' | 'stringList' | 'boolean' | 'booleanList' | 'numeric' | 'numericList';

/** A context value's type, from how it reads: `true`/`false`, numbers, else strings. */
function contextEntry(key: string, value: string | string[]) {
  const values = list(value);
  const many = Array.isArray(value);
  const base: ContextType = values.every((v) => v === 'true' || v === 'false')
    ? 'boolean'
    : values.every((v) => /^-?\d+(\.\d+)?$/.test(v))
      ? 'numeric'
      : 'string';
  return {
    ContextKeyName: key,
    ContextKeyValues: values,
    ContextKeyType: (many ? `${base}List` : base) as ContextType,
  };
}

const wildcard = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
    'i',
  ).test(value);

/** The statements of a document with this effect whose Action names the action (NotAction: does not). */
function statementsFor(document: PolicyDocument | undefined, effect: string, action: string): string[] {
  if (document === undefined) return [];
  const statements = list(document.Statement as never) as unknown as Record<string, unknown>[];
  return statements
    .filter((s) => s.Effect === effect)
    .filter((s) =>
      s.Action !== undefined
        ? list(s.Action as string[]).some((a) => wildcard(a, action))
        : !list(s.NotAction as string[]).some((a) => wildcard(a, action)),
    )
    .map((s) => (typeof s.Sid === 'string' ? `Sid ${s.Sid}` : JSON.stringify(s)));
}

/** A matched policy's name and the statements in it that decided, from the account's current documents. */
function deciding(result: EvaluationResult, state: AccountState, effect: 'Allow' | 'Deny'): string {
  const action = result.EvalActionName!;
  const s = state.scenario;
  return (result.MatchedStatements ?? [])
    .map((m) => {
      const id = m.SourcePolicyId ?? '';
      let name = id;
      let document: PolicyDocument | undefined;
      const managed = /^arn:aws:iam::[^:]*:policy\/(?:.*\/)?([^/]+)$/.exec(id);
      if (managed !== null) {
        name = managed[1]!;
        document = s.policies?.find((p) => p.name === name)?.document;
      } else {
        // Inline: <user|group|role>/<entity>/<policy name>.
        const [kind, entity, policy] = id.split('/');
        const holder = (kind === 'user' ? s.users : kind === 'group' ? s.groups : s.roles)?.find(
          (e) => e.name === entity,
        );
        document = policy === undefined ? undefined : holder?.inlinePolicies?.[policy];
      }
      const statements = statementsFor(document, effect, action);
      return `${name}${statements.length === 0 ? '' : `: ${statements.join('; ')}`}`;
    })
    .join(' | ');
}

function explain(result: EvaluationResult, state: AccountState): string {
  if (result.EvalDecision === 'allowed') return `allowed by ${deciding(result, state, 'Allow')}`;
  if (result.EvalDecision === 'explicitDeny') {
    const matched = deciding(result, state, 'Deny');
    if (matched !== '') return `explicit deny in ${matched}`;
    if (result.OrganizationsDecisionDetail?.AllowedByOrganizations === false)
      return 'denied by a service control policy';
    return 'explicit deny';
  }
  const limits = [
    ...(result.OrganizationsDecisionDetail?.AllowedByOrganizations === false ? ['a service control policy'] : []),
    ...(result.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary === false
      ? ['the permissions boundary']
      : []),
  ];
  const missing = result.MissingContextValues ?? [];
  return [
    'implicit deny: ',
    limits.length > 0 ? `not allowed by ${limits.join(' and ')}` : 'no statement allows it',
    missing.length > 0 ? ` (missing context: ${missing.join(', ')})` : '',
  ].join('');
}

export async function runExpectations(scenario: Scenario, state: AccountState, clients: Clients): Promise<Outcome[]> {
  const arns = new Map<string, string>();
  const arnOf = async (principal: string): Promise<string> => {
    if (principal.startsWith('arn:')) return principal;
    const known = arns.get(principal);
    if (known !== undefined) return known;
    const [kind, name] = [principal.slice(0, principal.indexOf('/')), principal.slice(principal.indexOf('/') + 1)];
    const arn =
      kind === 'user'
        ? (await clients.iam.send(new GetUserCommand({ UserName: name }))).User!.Arn!
        : (await clients.iam.send(new GetRoleCommand({ RoleName: name }))).Role!.Arn!;
    arns.set(principal, arn);
    return arn;
  };
  const simulate = async (e: Expectation, actions: string[]) => {
    const results: EvaluationResult[] = [];
    const resources = list(e.resources);
    // SimulatePrincipalPolicy answers every action × resource pair of one call.
    const output = await clients.iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: await arnOf(e.principal),
        ActionNames: actions,
        ...(resources.length === 0 ? {} : { ResourceArns: resources }),
        ...(e.context === undefined
          ? {}
          : { ContextEntries: Object.entries(e.context).map(([k, v]) => contextEntry(k, v)) }),
      }),
    );
    results.push(...(output.EvaluationResults ?? []));
    return results;
  };
  // Against AWS the settings cannot be read: the file's own (set by hand) stand in for them.
  const settings = state.scenario.billing ?? scenario.billing;
  const iamAccess = settings?.iamAccess === true;
  const actionSet = settings?.actionSet ?? 'existing';
  const outcomes: Outcome[] = [];
  for (const e of scenario.expect ?? []) {
    const common = { principal: e.principal, ...(e.description === undefined ? {} : { description: e.description }) };
    if (e.decision !== undefined) {
      for (const result of await simulate(e, list(e.actions))) {
        const got = result.EvalDecision === 'allowed' ? 'allow' : 'deny';
        const resource =
          result.EvalResourceName === '*' || result.EvalResourceName === undefined
            ? ''
            : ` on ${result.EvalResourceName}`;
        outcomes.push({
          ...common,
          check: `${result.EvalActionName}${resource}`,
          expected: e.decision,
          got,
          passed: got === e.decision,
          why: explain(result, state),
        });
      }
    }
    for (const [pages, expected] of [
      [e.console?.sees ?? [], 'allow'],
      [e.console?.refused ?? [], 'deny'],
    ] as const) {
      for (const id of pages) {
        const [pageId, buttonId] = id.split('/');
        const page = CONSOLE_PAGES.find((p) => p.id === pageId)!;
        // What the page (and button) asks for in the account's action set, wildcards expanded as the gate does.
        const actions = requiredActions(page, actionSet, buttonId).flatMap((pattern) => {
          const concrete = pattern.includes('*') ? catalog().expandAction(pattern) : [pattern];
          return concrete.length > 0 ? concrete : [pattern];
        });
        let got: 'allow' | 'deny';
        let why: string;
        if (page.governed && !iamAccess) {
          got = 'deny';
          why = 'IAM user and role access to Billing information is off';
        } else {
          const results = await simulate({ ...e, resources: [] }, [...new Set(actions)]);
          const refused = results.filter((r) => r.EvalDecision !== 'allowed');
          got = refused.length === 0 ? 'allow' : 'deny';
          why =
            refused.length === 0
              ? results.map((r) => `${r.EvalActionName} ${explain(r, state)}`).join('; ')
              : refused.map((r) => `${r.EvalActionName}: ${explain(r, state)}`).join('; ');
        }
        outcomes.push({ ...common, check: `console:${id}`, expected, got, passed: got === expected, why });
      }
    }
  }
  // A member account's expectations are simulated in that account, where its SCPs apply.
  for (const account of scenario.organization?.accounts ?? []) {
    if (account.scenario?.expect === undefined) continue;
    const id = state.facts.organization?.accounts.get(account.name)?.id;
    if (id === undefined) throw new Error(`no member account ${account.name}: apply the scenario first`);
    const member = await memberClients(clients, id, account.role);
    for (const o of await runExpectations(account.scenario, await readState(member), member)) {
      outcomes.push({ ...o, principal: `${account.name}:${o.principal}` });
    }
  }
  return outcomes;
}

/** The outcomes as table rows, a header first (the CLI lays them out as its other tables). */
export function outcomeRows(outcomes: Outcome[]): string[][] {
  return [
    ['RESULT', 'PRINCIPAL', 'CHECK', 'EXPECTED', 'GOT', 'WHY'],
    ...outcomes.map((o) => [
      o.passed ? 'pass' : 'FAIL',
      o.principal,
      o.check,
      o.expected,
      o.got,
      o.passed ? '' : o.why,
    ]),
  ];
}

const xml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** JUnit XML, as CI systems read test reports: one test case per check. */
export function outcomeJunit(name: string, outcomes: Outcome[]): string {
  const failed = outcomes.filter((o) => !o.passed).length;
  const cases = outcomes.map((o) => {
    const title = xml(`${o.principal} ${o.check} is ${o.expected === 'allow' ? 'allowed' : 'denied'}`);
    const failure = o.passed
      ? ''
      : `\n    <failure message="${xml(`expected ${o.expected}, got ${o.got}: ${o.why}`)}"/>\n  `;
    return `  <testcase classname="${xml(name)}" name="${title}">${failure}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${xml(name)}" tests="${outcomes.length}" failures="${failed}">`,
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}
