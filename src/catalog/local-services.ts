/**
 * Services that exist only in Bursar, merged into the catalog so that policies can grant them
 * and the validator does not call them unknown.
 */
import type { ActionDescription, ServiceData } from './types.js';

function action(service: string, description: Omit<ActionDescription, 'action' | 'service'>): ActionDescription {
  return { ...description, action: `${service}:${description.name}`, service };
}

const BURSAR_ACTIONS = [
  action('bursar', {
    name: 'ImportCostData',
    accessLevel: 'Write',
    description: 'Grants permission to import FOCUS or AWS Cost and Usage Report cost data into Bursar',
    resourceTypes: [],
    conditionKeys: [],
    dependentActions: [],
  }),
];

export const LOCAL_SERVICES: readonly ServiceData[] = [
  {
    prefix: 'bursar',
    name: 'Bursar',
    actions: new Map(BURSAR_ACTIONS.map((a) => [a.name.toLowerCase(), a])),
    conditionKeys: new Map(),
    resourceTypes: [],
  },
];
