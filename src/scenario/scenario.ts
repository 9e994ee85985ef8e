/**
 * The scenario file (docs/scenarios.md): its types, and loading one — parse with positions, check it against
 * schemas/scenario.schema.json (the one definition of the format; editors read the same file), then the
 * cross-references no schema can express. Every error carries the line and column of the value it is about.
 */
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import schema from '../../schemas/scenario.schema.json' with { type: 'json' };
import { CONSOLE_PAGES, type ConsoleActionSet } from '../billing/console-gates/pages.js';
import { SourceSyntaxError, parseJsonSource, pointer, positionOf, type SourceError } from './json-source.js';
import { parseYamlSource } from './yaml-source.js';

export type PolicyDocument = { Version?: string; Statement: unknown } & Record<string, unknown>;
export type StringOrList = string | string[];

export interface ScenarioPolicy {
  name: string;
  path?: string;
  description?: string;
  document?: PolicyDocument;
  file?: string;
}
interface Attachable {
  name: string;
  path?: string;
  policies?: string[];
  inlinePolicies?: Record<string, PolicyDocument>;
}
export type ScenarioGroup = Attachable;
export interface ScenarioUser extends Attachable {
  console?: boolean | { password: string; passwordResetRequired?: boolean };
  mfa?: boolean;
  groups?: string[];
  boundary?: string;
  tags?: Record<string, string>;
}
export interface ScenarioRole extends Attachable {
  description?: string;
  trust: PolicyDocument;
  maxSessionDuration?: number;
  boundary?: string;
  tags?: Record<string, string>;
}
export interface ScenarioBudget {
  name: string;
  amount: string;
  unit?: string;
  timeUnit?: 'DAILY' | 'MONTHLY' | 'QUARTERLY' | 'ANNUALLY';
}
export interface ScenarioOrganization {
  ous?: { name: string; parent?: string }[];
  accounts?: { name: string; email: string; ou?: string; role?: string; scenario?: Scenario }[];
  scps?: { name: string; description?: string; document: PolicyDocument; targets?: string[] }[];
}
export interface Expectation {
  principal: string;
  description?: string;
  actions?: StringOrList;
  resources?: StringOrList;
  context?: Record<string, StringOrList>;
  decision?: 'allow' | 'deny';
  console?: { sees?: string[]; refused?: string[] };
}
export interface Scenario {
  $schema?: string;
  version: 1;
  description?: string;
  billing?: { iamAccess?: boolean; actionSet?: ConsoleActionSet };
  organization?: ScenarioOrganization;
  policies?: ScenarioPolicy[];
  groups?: ScenarioGroup[];
  users?: ScenarioUser[];
  roles?: ScenarioRole[];
  /** Cost data imported into Bursar (cost-data.ts); `files` are absolute once loaded. */
  costData?: { demo?: { seed?: number; rows?: number }; files?: string[] };
  budgets?: ScenarioBudget[];
  expect?: Expectation[];
}

/** A loaded scenario, its policy files read into `document`. */
export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; errors: SourceError[] };

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  minLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
};
const ROOT_SCHEMA = schema as Schema & { $defs: Record<string, Schema> };

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;

/** The subset of JSON Schema the scenario schema uses, applied to one value. */
function check(value: unknown, s: Schema, path: string, errors: { path: string; message: string }[]): void {
  if (s.$ref !== undefined) {
    return check(
      value,
      s.$ref === '#' ? ROOT_SCHEMA : ROOT_SCHEMA.$defs[s.$ref.replace('#/$defs/', '')]!,
      path,
      errors,
    );
  }
  if (s.oneOf !== undefined) {
    const attempts = s.oneOf.map((option) => {
      const found: { path: string; message: string }[] = [];
      check(value, option, path, found);
      return found;
    });
    if (attempts.some((found) => found.length === 0)) return;
    // Report the option whose type matched (its errors are the useful ones), else a type error.
    const typed = attempts.find((found) => found.every((e) => e.path !== path));
    if (typed !== undefined) errors.push(...typed);
    else errors.push({ path, message: `must be ${s.oneOf.map((o) => o.type).join(' or ')}` });
    return;
  }
  const actual = typeOf(value);
  if (s.type !== undefined && actual !== s.type && !(s.type === 'number' && actual === 'integer')) {
    errors.push({
      path,
      message: `must be ${s.type === 'object' ? 'an object' : `a${/^[aeiou]/.test(s.type) ? 'n' : ''} ${s.type}`}, not ${actual}`,
    });
    return;
  }
  if (s.enum !== undefined && !s.enum.includes(value)) {
    errors.push({ path, message: `must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) errors.push({ path, message: 'must not be empty' });
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) {
      errors.push({ path, message: `${JSON.stringify(value)} does not match ${s.pattern}` });
    }
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push({ path, message: `must be at least ${s.minimum}` });
    if (s.maximum !== undefined && value > s.maximum) errors.push({ path, message: `must be at most ${s.maximum}` });
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems)
      errors.push({ path, message: `needs at least ${s.minItems} item(s)` });
    if (s.items !== undefined) value.forEach((item, i) => check(item, s.items!, pointer(path, i), errors));
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of s.required ?? []) {
      if (!Object.hasOwn(object, name)) errors.push({ path, message: `${name} is required` });
    }
    for (const [name, member] of Object.entries(object)) {
      const known = s.properties?.[name];
      if (known !== undefined) check(member, known, pointer(path, name), errors);
      else if (s.additionalProperties === false) {
        errors.push({ path: `${pointer(path, name)}#key`, message: `unknown member "${name}"` });
      } else if (typeof s.additionalProperties === 'object') {
        check(member, s.additionalProperties, pointer(path, name), errors);
      }
    }
  }
}

/** What the schema cannot say: unique names, and that every name the file refers to is defined. */
function crossReferences(s: Scenario, base = ''): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  s.organization?.accounts?.forEach((a, i) => {
    if (a.scenario === undefined) return;
    const at = `${base}/organization/accounts/${i}/scenario`;
    if (a.scenario.organization !== undefined) {
      errors.push({ path: `${at}/organization`, message: 'a member account manages no organization' });
    }
    if (a.scenario.costData !== undefined) {
      errors.push({
        path: `${at}/costData`,
        message: "cost data goes into the management account, which pays its members' costs",
      });
    }
    errors.push(...crossReferences(a.scenario, at));
  });
  const own = errors.length;
  const unique = (list: { name: string }[] | undefined, at: string, what: string) => {
    const seen = new Set<string>();
    list?.forEach((item, i) => {
      if (seen.has(item.name))
        errors.push({ path: `/${at}/${i}/name`, message: `${what} "${item.name}" is defined twice` });
      seen.add(item.name);
    });
    return seen;
  };
  const policies = unique(s.policies, 'policies', 'policy');
  const groups = unique(s.groups, 'groups', 'group');
  const users = unique(s.users, 'users', 'user');
  const roles = unique(s.roles, 'roles', 'role');
  unique(s.budgets, 'budgets', 'budget');
  const ous = unique(s.organization?.ous, 'organization/ous', 'OU');
  const accounts = unique(s.organization?.accounts, 'organization/accounts', 'account');
  unique(s.organization?.scps, 'organization/scps', 'SCP');
  const policyRef = (ref: string | undefined, path: string) => {
    if (ref !== undefined && !ref.startsWith('arn:') && !policies.has(ref)) {
      errors.push({ path, message: `no policy "${ref}" in policies (name one of this file, or give an ARN)` });
    }
  };
  s.policies?.forEach((p, i) => {
    if ((p.document === undefined) === (p.file === undefined)) {
      errors.push({ path: `/policies/${i}`, message: 'give either document or file' });
    }
  });
  for (const [list, at] of [
    [s.groups, 'groups'],
    [s.users, 'users'],
    [s.roles, 'roles'],
  ] as const) {
    list?.forEach((entity, i) => {
      entity.policies?.forEach((ref, j) => policyRef(ref, `/${at}/${i}/policies/${j}`));
      policyRef((entity as ScenarioUser).boundary, `/${at}/${i}/boundary`);
    });
  }
  s.users?.forEach((u, i) =>
    u.groups?.forEach((g, j) => {
      if (!groups.has(g)) errors.push({ path: `/users/${i}/groups/${j}`, message: `no group "${g}" in groups` });
    }),
  );
  s.organization?.ous?.forEach((ou, i) => {
    if (ou.parent !== undefined && !ous.has(ou.parent)) {
      errors.push({ path: `/organization/ous/${i}/parent`, message: `no OU "${ou.parent}" in organization.ous` });
    }
  });
  s.organization?.accounts?.forEach((a, i) => {
    if (a.ou !== undefined && !ous.has(a.ou)) {
      errors.push({ path: `/organization/accounts/${i}/ou`, message: `no OU "${a.ou}" in organization.ous` });
    }
  });
  s.organization?.scps?.forEach((scp, i) =>
    scp.targets?.forEach((t, j) => {
      if (t !== 'Root' && !ous.has(t) && !accounts.has(t)) {
        errors.push({ path: `/organization/scps/${i}/targets/${j}`, message: `no OU or account "${t}" (or "Root")` });
      }
    }),
  );
  // A page, or a button of one: `billing-preferences/save-preferences`.
  const pages = new Set(CONSOLE_PAGES.flatMap((p) => [p.id, ...Object.keys(p.buttons).map((b) => `${p.id}/${b}`)]));
  s.expect?.forEach((e, i) => {
    const at = `/expect/${i}`;
    const [, kind, name] = /^(user|role)\/(.*)$/.exec(e.principal) ?? [];
    if (kind !== undefined && !(kind === 'user' ? users : roles).has(name!)) {
      errors.push({ path: `${at}/principal`, message: `no ${kind} "${name}" in ${kind}s` });
    }
    if (e.console === undefined && (e.actions === undefined || e.decision === undefined)) {
      errors.push({ path: at, message: 'an expectation needs actions and decision, or console' });
    }
    if (e.console !== undefined && (e.actions !== undefined || e.decision !== undefined)) {
      errors.push({ path: at, message: 'console expectations take no actions or decision: give them separately' });
    }
    for (const which of ['sees', 'refused'] as const) {
      e.console?.[which]?.forEach((page, j) => {
        if (!pages.has(page)) {
          errors.push({
            path: `${at}/console/${which}/${j}`,
            message: `no console page or button "${page}" (one of: ${[...pages].join(', ')})`,
          });
        }
      });
    }
  });
  return [...errors.slice(0, own), ...errors.slice(own).map((e) => ({ ...e, path: `${base}${e.path}` }))];
}

/**
 * Reads each policy's `file` (relative to `dir`) into its `document`, member accounts' too, and makes cost data
 * files' paths absolute; the errors, if any.
 */
async function readPolicyFiles(
  scenario: Scenario,
  base: string,
  dir: string | null,
): Promise<{ path: string; message: string }[]> {
  const errors: { path: string; message: string }[] = [];
  for (const [i, policy] of (scenario.policies ?? []).entries()) {
    if (policy.file === undefined) continue;
    const path = `${base}/policies/${i}/file`;
    if (dir === null) {
      errors.push({ path, message: 'a scenario uploaded to the console reads no files: give the document inline' });
      continue;
    }
    let document: unknown;
    try {
      document = JSON.parse(await readFile(resolve(dir, policy.file), 'utf8'));
    } catch (error) {
      errors.push({
        path,
        message: `cannot read ${policy.file}: ${error instanceof Error ? error.message : String(error)}`,
      });
      continue;
    }
    const found: { path: string; message: string }[] = [];
    check(document, ROOT_SCHEMA.$defs.document!, path, found);
    errors.push(...found.map((e) => ({ path, message: `${policy.file}: ${e.message}` })));
    if (found.length === 0) {
      policy.document = document as PolicyDocument;
      delete policy.file;
    }
  }
  for (const [i, file] of (scenario.costData?.files ?? []).entries()) {
    if (dir === null) {
      errors.push({
        path: `${base}/costData/files/${i}`,
        message: 'a scenario uploaded to the console reads no files: import them with `bursar scenario apply`',
      });
      continue;
    }
    const absolute = resolve(dir, file);
    try {
      await access(absolute, constants.R_OK);
      scenario.costData!.files![i] = absolute;
    } catch {
      errors.push({ path: `${base}/costData/files/${i}`, message: `cannot read ${file}` });
    }
  }
  for (const [i, account] of (scenario.organization?.accounts ?? []).entries()) {
    if (account.scenario !== undefined) {
      errors.push(...(await readPolicyFiles(account.scenario, `${base}/organization/accounts/${i}/scenario`, dir)));
    }
  }
  return errors;
}

export type SourceFormat = 'json' | 'yaml';

/**
 * A file's format: by its extension (.json, .yaml, .yml), else by its content — JSON begins with `{`, which
 * a YAML scenario (a block mapping) does not.
 */
export function sourceFormat(text: string, file?: string): SourceFormat {
  const extension = file === undefined ? '' : extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'json'
    : 'yaml';
}

/**
 * Parses and checks a scenario's text (JSON or YAML: `sourceFormat`); `dir` resolves policy and cost files —
 * null for a scenario uploaded to the console, which must not name the server's files.
 */
export async function parseScenario(
  text: string,
  dir: string | null,
  format: SourceFormat = sourceFormat(text),
): Promise<LoadResult> {
  let parsed;
  try {
    parsed = format === 'json' ? parseJsonSource(text) : parseYamlSource(text);
  } catch (error) {
    if (!(error instanceof SourceSyntaxError)) throw error;
    return { ok: false, errors: [{ path: '', ...error.position, message: error.message.replace(/^\d+:\d+: /, '') }] };
  }
  const located = (list: { path: string; message: string }[]): LoadResult => ({
    ok: false,
    errors: list.map((e) => ({ ...e, ...positionOf(parsed.positions, e.path), path: e.path.replace(/#key$/, '') })),
  });
  const errors: { path: string; message: string }[] = [];
  check(parsed.value, ROOT_SCHEMA, '', errors);
  if (errors.length > 0) return located(errors);
  const scenario = parsed.value as Scenario;
  const references = crossReferences(scenario);
  if (references.length > 0) return located(references);
  const fileErrors = await readPolicyFiles(scenario, '', dir);
  if (fileErrors.length > 0) return located(fileErrors);
  return { ok: true, scenario };
}

export async function loadScenario(file: string): Promise<LoadResult> {
  const text = await readFile(file, 'utf8');
  return parseScenario(text, dirname(resolve(file)), sourceFormat(text, file));
}

export function formatErrors(file: string, errors: SourceError[]): string {
  return errors
    .map((e) => `${file}:${e.line}:${e.column}: ${e.message}${e.path === '' ? '' : ` (${e.path})`}\n`)
    .join('');
}

export const list = (value: StringOrList | undefined): string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;
