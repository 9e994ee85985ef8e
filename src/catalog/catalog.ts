import type { CatalogView, ConditionKeyType } from '../policy/validate.js';
import { hasWildcard, wildcardMatcher } from '../policy/validate-text.js';
import { displayName } from './display-names.js';
import { GLOBAL_CONDITION_KEYS } from './global-condition-keys.js';
import type {
  AccessLevel,
  ActionDescription,
  CatalogSource,
  ConditionKeyDescription,
  ResourceTypeDescription,
  ServiceData,
} from './types.js';

export interface ServiceSummary {
  prefix: string;
  /** The Service Authorization Reference's name ("AWS Billing Console"). */
  name: string;
  /** The IAM visual editor's name ("Billing Console"). */
  displayName: string;
}

/**
 * Every service's actions, access levels, resource types and condition keys, with synchronous lookups.
 * Case-insensitive throughout, as IAM is for action names and condition keys.
 */
export class Catalog implements CatalogView {
  private readonly local: Map<string, ServiceData>;
  private readonly prefixes: readonly string[];
  /** Each service's actions sorted by name, computed once: expansion runs on every validation. */
  private readonly sortedActions = new Map<string, readonly ActionDescription[]>();

  constructor(
    private readonly source: CatalogSource,
    localServices: readonly ServiceData[] = [],
  ) {
    this.local = new Map(localServices.map((s) => [s.prefix.toLowerCase(), s]));
    this.prefixes = [...new Set([...source.servicePrefixes(), ...this.local.keys()])].sort();
  }

  private service(prefix: string): ServiceData | undefined {
    const key = prefix.toLowerCase();
    return this.local.get(key) ?? this.source.service(key);
  }

  servicePrefixes(): readonly string[] {
    return this.prefixes;
  }

  hasService(prefix: string): boolean {
    return this.service(prefix) !== undefined;
  }

  describeService(prefix: string): ServiceSummary | undefined {
    const service = this.service(prefix);
    if (service === undefined) return undefined;
    return { prefix: service.prefix, name: service.name, displayName: displayName(service.prefix, service.name) };
  }

  /** Services whose prefix, name or visual-editor name contains `text` (case-insensitive), as the editor searches. */
  searchServices(text: string): ServiceSummary[] {
    const needle = text.toLowerCase();
    const found: ServiceSummary[] = [];
    for (const prefix of this.prefixes) {
      const summary = this.describeService(prefix);
      if (summary === undefined) continue;
      const haystack = `${summary.prefix}\n${summary.name}\n${summary.displayName}`.toLowerCase();
      if (haystack.includes(needle)) found.push(summary);
    }
    return found;
  }

  /** A service's actions sorted by name, optionally only one access level (the visual editor's checkboxes). */
  actions(prefix: string, accessLevel?: AccessLevel): ActionDescription[] {
    const all = this.allActions(prefix);
    return accessLevel === undefined ? [...all] : all.filter((a) => a.accessLevel === accessLevel);
  }

  private allActions(prefix: string): readonly ActionDescription[] {
    const key = prefix.toLowerCase();
    let sorted = this.sortedActions.get(key);
    if (sorted === undefined) {
      const service = this.service(key);
      if (service === undefined) return [];
      sorted = [...service.actions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.sortedActions.set(key, sorted);
    }
    return sorted;
  }

  serviceActionNames(prefix: string): readonly string[] {
    return this.allActions(prefix).map((a) => a.name);
  }

  describeAction(action: string): ActionDescription | undefined {
    const colon = action.indexOf(':');
    if (colon <= 0) return undefined;
    return this.service(action.slice(0, colon))?.actions.get(action.slice(colon + 1).toLowerCase());
  }

  findAction(action: string): string | undefined {
    return this.describeAction(action)?.action;
  }

  /** The concrete actions an action pattern matches: `aws-portal:View*`, `*:Get*`, `*`. Sorted, canonical spelling. */
  expandActionDescriptions(pattern: string): ActionDescription[] {
    const colon = pattern.indexOf(':');
    const servicePattern = pattern === '*' ? '*' : colon < 0 ? undefined : pattern.slice(0, colon);
    const namePattern = pattern === '*' ? '*' : pattern.slice(colon + 1);
    if (servicePattern === undefined) return [];
    // Compiled once: a pattern is tried against thousands of action names.
    const prefixes = hasWildcard(servicePattern)
      ? this.prefixes.filter(wildcardMatcher(servicePattern))
      : [servicePattern.toLowerCase()];
    const matchesName = wildcardMatcher(namePattern);
    const found: ActionDescription[] = [];
    for (const prefix of prefixes) {
      for (const action of this.allActions(prefix)) if (matchesName(action.name)) found.push(action);
    }
    return found;
  }

  expandAction(pattern: string): string[] {
    return this.expandActionDescriptions(pattern).map((a) => a.action);
  }

  resourceTypes(prefix: string): readonly ResourceTypeDescription[] {
    return this.service(prefix)?.resourceTypes ?? [];
  }

  resourceArnFormats(prefix: string): readonly string[] | undefined {
    const service = this.service(prefix);
    return service === undefined ? undefined : service.resourceTypes.map((r) => r.arnFormat);
  }

  /** A service's condition keys (`aws-portal` has none). */
  serviceConditionKeys(prefix: string): ConditionKeyDescription[] {
    return [...(this.service(prefix)?.conditionKeys.values() ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  }

  /** A condition key's canonical spelling and types, global (`aws:…`) or service-specific; undefined when unknown. */
  describeConditionKey(key: string): { key: string; types: readonly ConditionKeyType[]; global: boolean } | undefined {
    const lower = key.toLowerCase();
    const global = GLOBAL_CONDITION_KEYS.find((g) =>
      g.isPrefix ? lower.startsWith(g.key.toLowerCase()) && lower.length > g.key.length : lower === g.key.toLowerCase(),
    );
    if (global !== undefined)
      return {
        key: global.isPrefix ? global.key + key.slice(global.key.length) : global.key,
        types: global.types,
        global: true,
      };
    const types = this.conditionKeyTypes(key);
    if (types === undefined) return undefined;
    const colon = lower.indexOf(':');
    const exact = this.service(lower.slice(0, colon))?.conditionKeys.get(lower);
    return { key: exact?.key ?? key, types, global: false };
  }

  /** The global condition keys with their types, for a condition editor; tag-style keys end with `/`. */
  globalConditionKeyDetails(): { key: string; types: readonly ConditionKeyType[] }[] {
    return GLOBAL_CONDITION_KEYS.map((g) => ({ key: g.key, types: g.types }));
  }

  /** The service whose prefix, data name or visual-editor name is exactly `text` (case-insensitive). */
  resolveService(text: string): ServiceSummary | undefined {
    const direct = this.describeService(text);
    if (direct !== undefined) return direct;
    const wanted = text.toLowerCase();
    return this.searchServices(text).find(
      (s) => s.name.toLowerCase() === wanted || s.displayName.toLowerCase() === wanted,
    );
  }

  globalConditionKeys(): readonly string[] {
    return GLOBAL_CONDITION_KEYS.filter((k) => k.key.startsWith('aws:')).map((k) => k.key);
  }

  conditionKeyTypes(key: string): readonly ConditionKeyType[] | undefined {
    const lower = key.toLowerCase();
    for (const global of GLOBAL_CONDITION_KEYS) {
      const candidate = global.key.toLowerCase();
      if (global.isPrefix ? lower.startsWith(candidate) && lower.length > candidate.length : lower === candidate) {
        return global.types;
      }
    }
    const colon = lower.indexOf(':');
    if (colon <= 0) return undefined;
    const service = this.service(lower.slice(0, colon));
    if (service === undefined) return undefined;
    const exact = service.conditionKeys.get(lower);
    if (exact !== undefined) return [exact.type];
    for (const [name, description] of service.conditionKeys) {
      // Templated keys such as `account:AccountResourceOrgTags/${TagKey}` match any value in the template's place.
      if (name.includes('${') && templateMatcher(name).test(lower)) return [description.type];
    }
    return undefined;
  }
}

function templateMatcher(template: string): RegExp {
  const parts = template.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`, 'is');
}
