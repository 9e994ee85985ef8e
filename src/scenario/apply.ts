/** `scenario apply`: read the account, plan, and (unless a dry run) make the calls, reporting each as it goes. */
import { plan, type Step } from './plan.js';
import type { Scenario } from './scenario.js';
import { readState } from './state.js';
import type { Clients } from './target.js';

export interface ApplyOptions {
  dryRun?: boolean;
  prune?: boolean;
  /** One line of progress (a step about to run, or the plan's lines in a dry run). */
  progress?: (line: string) => void;
  onPassword?: (user: string, password: string) => void;
}

export async function applyScenario(scenario: Scenario, clients: Clients, options: ApplyOptions = {}): Promise<Step[]> {
  const progress = options.progress ?? (() => {});
  const steps = plan(scenario, await readState(clients), clients, {
    ...(options.prune === undefined ? {} : { prune: options.prune }),
    ...(options.onPassword === undefined ? {} : { onPassword: options.onPassword }),
  });
  if (steps.length === 0) {
    progress('No changes: the account already matches the scenario.');
    return steps;
  }
  if (options.dryRun) {
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
