/** `scenario apply`: read the account, plan, and (unless a dry run) make the calls, reporting each as it goes. */
import { costDataSteps } from './cost-data.js';
import { plan, type Step } from './plan.js';
import type { Scenario } from './scenario.js';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { readState } from './state.js';
import { memberClients, type Clients } from './target.js';

export interface ApplyOptions {
  dryRun?: boolean;
  prune?: boolean;
  /** One line of progress (a step about to run, or the plan's lines in a dry run). */
  progress?: (line: string) => void;
  onPassword?: (user: string, password: string) => void;
}

export async function applyScenario(scenario: Scenario, clients: Clients, options: ApplyOptions = {}): Promise<Step[]> {
  const progress = options.progress ?? (() => {});
  const planOptions = {
    ...(options.prune === undefined ? {} : { prune: options.prune }),
    ...(options.onPassword === undefined ? {} : { onPassword: options.onPassword }),
  };
  const state = await readState(clients);
  const steps = plan(scenario, state, clients, planOptions);
  // Member accounts' own setups, each in the account through the role the management account assumes there.
  for (const account of scenario.organization?.accounts ?? []) {
    if (account.scenario === undefined) continue;
    const nested = account.scenario;
    const existing = state.facts.organization?.accounts.get(account.name);
    if (existing !== undefined) {
      const member = await memberClients(clients, existing.id, account.role);
      for (const s of plan(nested, await readState(member), member, planOptions)) {
        steps.push({ summary: `[${account.name}] ${s.summary}`, run: s.run });
      }
    } else {
      // A member account this run creates: its plan can only be made once it exists.
      steps.push({
        summary: `[${account.name}] its scenario, once the account exists`,
        run: async () => {
          const listed = await clients.organizations.send(new ListAccountsCommand({}));
          const id = listed.Accounts?.find((a) => a.Name === account.name)?.Id;
          if (id === undefined) throw new Error(`no member account ${account.name}`);
          const member = await memberClients(clients, id, account.role);
          await applyScenario(nested, member, {
            ...options,
            progress: (line) => progress(`    [${account.name}] ${line}`),
          });
        },
      });
    }
  }
  if (scenario.billing !== undefined && state.scenario.billing === undefined) {
    progress('Note: set the Billing console settings (billing:) by hand as the root user: AWS has no API for them.');
  }
  // Cost data last: budgets are there by then, and the import is the slowest step.
  let costs = { steps: [] as Step[], dispose: async () => {} };
  if (scenario.costData !== undefined && clients.target?.endpoint === undefined) {
    progress(
      clients.target === undefined
        ? 'Note: costData is imported by `bursar scenario apply --endpoint`, not from the console.'
        : 'Note: costData is for Bursar only: AWS accounts have their own cost data.',
    );
  } else if (scenario.costData !== undefined) {
    costs = await costDataSteps(scenario, clients, state.facts.accountId);
  }
  try {
    return await runSteps([...steps, ...costs.steps], options.dryRun === true, progress);
  } finally {
    await costs.dispose();
  }
}

async function runSteps(steps: Step[], dryRun: boolean, progress: (line: string) => void): Promise<Step[]> {
  if (steps.length === 0) {
    progress('No changes: the account already matches the scenario.');
    return steps;
  }
  if (dryRun) {
    progress(`Plan: ${steps.length} change(s) (dry run: nothing applied)`);
    for (const s of steps) progress(`  ${s.summary}`);
    return steps;
  }
  const width = String(steps.length).length;
  for (const [i, s] of steps.entries()) {
    progress(`[${String(i + 1).padStart(width)}/${steps.length}] ${s.summary}`);
    try {
      await s.run();
    } catch (error) {
      throw new Error(`${s.summary}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }
  progress(`Applied ${steps.length} change(s).`);
  return steps;
}
