/**
 * The console's Export and Import scenario (`bursar:ExportScenario`, `PlanScenario`, `ApplyScenario`): the
 * scenario code of `bursar scenario export / apply --dry-run / apply` (src/scenario/), run in the server with
 * clients that make each of its calls as the signed-in caller through invoke() again (`ctx.call`).
 *
 * Authorization: each operation asks for `iam:GetAccountAuthorizationDetails`, the read every one of them
 * starts with; beyond that, every read of the account and every step of an apply is an operation of its own,
 * authorized by the caller's own policies and the account's rules (the Billing console's gates included, as
 * the console's calls are) and audited as the caller's call. So an upload can do nothing the user could not do
 * call by call: a step the user may not make is refused, and the apply stops there, saying which steps ran.
 * An uploaded scenario names no server files (policy `file`, `costData.files`) and no member accounts' own
 * setups (those need the role assumed in the member account: `bursar scenario apply` does them).
 */
import { validationException } from '../../core/errors.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';
import { applyScenario } from '../../scenario/apply.js';
import { exportState, type ExportFormat } from '../../scenario/export.js';
import { inProcessClients } from '../../scenario/in-process.js';
import { parseScenario, sourceFormat, type Scenario } from '../../scenario/scenario.js';
import { readState } from '../../scenario/state.js';
import type { Clients } from '../../scenario/target.js';

const READ: AccessRequest[] = [{ action: 'iam:GetAccountAuthorizationDetails', resource: '*' }];

function clientsOf(ctx: OperationContext<unknown>): Clients {
  return inProcessClients(ctx.call!);
}

const EXTENSIONS: Record<ExportFormat, string> = {
  scenario: 'json',
  terraform: 'tf',
  cloudformation: 'json',
  cli: 'sh',
};

interface ExportInput {
  Format?: ExportFormat;
  Yaml?: boolean;
  ImportBlocks?: boolean;
}

export const exportScenario: Operation<unknown, ExportInput> = {
  service: 'bursar',
  name: 'ExportScenario',
  access: () => READ,
  mutates: false,
  handler: async (input, ctx) => {
    const format = input.Format ?? 'scenario';
    const yaml = format === 'scenario' && input.Yaml === true;
    const content = exportState(await readState(clientsOf(ctx)), format, {
      imports: input.ImportBlocks !== false,
      yaml,
    });
    const name = format === 'cloudformation' ? 'template' : format === 'cli' ? 'recreate' : 'scenario';
    return { Content: content, FileName: `${name}.${yaml ? 'yaml' : EXTENSIONS[format]}` };
  },
};

interface ScenarioInput {
  Content?: string;
  FileName?: string;
  Prune?: boolean;
}

/** The uploaded file checked as `scenario validate` checks one; a refusal the console shows line by line. */
async function uploaded(input: ScenarioInput) {
  const text = input.Content ?? '';
  const loaded = await parseScenario(text, null, sourceFormat(text, input.FileName));
  if (!loaded.ok) {
    return {
      errors: loaded.errors.map((e) => ({ Line: e.line, Column: e.column, Path: e.path, Message: e.message })),
    };
  }
  const scenario: Scenario = loaded.scenario;
  if (scenario.organization?.accounts?.some((a) => a.scenario !== undefined)) {
    throw validationException(
      "A member account's own setup (organization.accounts[].scenario) is applied by `bursar scenario apply`, not from the console.",
    );
  }
  return { scenario };
}

async function planOrApply(input: ScenarioInput, ctx: OperationContext<unknown>, dryRun: boolean) {
  const file = await uploaded(input);
  if (file.errors !== undefined) return { Errors: file.errors, Changes: [] };
  const notes: string[] = [];
  const applied: string[] = [];
  const passwords: { UserName: string; Password: string }[] = [];
  let changes: string[] = [];
  let failure: string | undefined;
  try {
    const steps = await applyScenario(file.scenario, clientsOf(ctx), {
      dryRun: true,
      ...(input.Prune === undefined ? {} : { prune: input.Prune }),
      progress: (line) => {
        if (line.startsWith('Note: ')) notes.push(line.slice('Note: '.length));
      },
    });
    changes = steps.map((s) => s.summary);
    if (!dryRun && steps.length > 0) {
      // Applied step by step, as planned: each summary is recorded once its calls have succeeded.
      await applyScenario(file.scenario, clientsOf(ctx), {
        ...(input.Prune === undefined ? {} : { prune: input.Prune }),
        progress: (line) => {
          const [, summary] = /^\[\s*\d+\/\d+\] (.*)$/.exec(line) ?? [];
          if (summary !== undefined) applied.push(summary);
        },
        onPassword: (user, password) => passwords.push({ UserName: user, Password: password }),
      });
    }
  } catch (error) {
    if (dryRun || !(error instanceof Error)) throw error;
    // The step announced last is the one that failed; the ones before it were made.
    applied.pop();
    failure = error.message;
  }
  return {
    Changes: changes,
    ...(dryRun ? {} : { Applied: applied, Passwords: passwords }),
    ...(failure === undefined ? {} : { Failure: failure }),
    Notes: notes,
  };
}

export const planScenario: Operation<unknown, ScenarioInput> = {
  service: 'bursar',
  name: 'PlanScenario',
  access: () => READ,
  mutates: false,
  handler: (input, ctx) => planOrApply(input, ctx, true),
};

export const applyScenarioOperation: Operation<unknown, ScenarioInput> = {
  service: 'bursar',
  name: 'ApplyScenario',
  access: () => READ,
  // Its changes are the nested operations', each written and audited as the caller's own call.
  mutates: false,
  handler: (input, ctx) => planOrApply(input, ctx, false),
};

export const scenarioOperations = [exportScenario, planScenario, applyScenarioOperation];
