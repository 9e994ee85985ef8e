import type { AccessLevel } from '../contracts/console.js';
import type { ConditionKeyType } from '../policy/validate.js';

/** The visual editor's access-level groups (AWS's Service Authorization Reference names them the same way). */
export type { AccessLevel };

export const ACCESS_LEVELS: readonly AccessLevel[] = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];

export interface ActionResourceType {
  name: string;
  required: boolean;
  conditionKeys: string[];
}

/** One IAM action as the catalog describes it. `action` is the canonical `service:Name` spelling. */
export interface ActionDescription {
  action: string;
  service: string;
  name: string;
  accessLevel: AccessLevel;
  description: string;
  resourceTypes: ActionResourceType[];
  conditionKeys: string[];
  dependentActions: string[];
}

export interface ConditionKeyDescription {
  key: string;
  type: ConditionKeyType;
  description: string;
}

export interface ResourceTypeDescription {
  name: string;
  arnFormat: string;
  conditionKeys: string[];
}

/** Everything the catalog knows about one service, keyed by lower-cased names for case-insensitive lookup. */
export interface ServiceData {
  prefix: string;
  name: string;
  actions: ReadonlyMap<string, ActionDescription>;
  conditionKeys: ReadonlyMap<string, ConditionKeyDescription>;
  resourceTypes: readonly ResourceTypeDescription[];
}

/** Where service data comes from; synchronous so that validation and evaluation never await. */
export interface CatalogSource {
  servicePrefixes(): readonly string[];
  service(prefix: string): ServiceData | undefined;
}
