/** The policy simulator: a principal's policies, or policies given in the call, against actions. */
import type { SimulateCustomPolicyRequest, SimulatePrincipalPolicyRequest } from '../../contracts/wire/iam.js';
import { anyResource, iamAccess, type IamOperation } from './common.js';
import { paginate } from './pagination.js';

const simulatePrincipalPolicy: IamOperation<SimulatePrincipalPolicyRequest> = {
  service: 'iam',
  name: 'SimulatePrincipalPolicy',
  mutates: false,
  // Authorized on the principal whose policies are simulated.
  access: iamAccess('SimulatePrincipalPolicy', (i) => i.PolicySourceArn || '*'),
  handler: async (i, c) =>
    paginate(await c.services.iam.simulator.simulatePrincipal(c.caller.accountId, i), i, 'EvaluationResults'),
};

const simulateCustomPolicy: IamOperation<SimulateCustomPolicyRequest> = {
  service: 'iam',
  name: 'SimulateCustomPolicy',
  mutates: false,
  access: iamAccess('SimulateCustomPolicy', anyResource),
  handler: async (i, c) =>
    paginate(await c.services.iam.simulator.simulateCustom(c.caller.accountId, i), i, 'EvaluationResults'),
};

export const simulationOperations = [simulatePrincipalPolicy, simulateCustomPolicy];
