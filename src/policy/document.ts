/**
 * Policy documents: raw JSON (text or value) → a normalised document with every string-or-array value
 * turned into an array. Never throws: structural problems come back as messages in the result, because
 * a policy written by a person is input, not a programming error. Finer findings (unknown actions,
 * size limits, security warnings) are the validator's job (validate.ts); here we keep only what the
 * engine cannot evaluate without.
 */

export type PolicyVersion = '2012-10-17' | '2008-10-17';

/** `Principal` / `NotPrincipal`: `"*"` sets `any`; the map form fills the four lists. */
export interface PrincipalDocument {
  any: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
}

/** One `Operator: { Key: values }` pair of a Condition block, values as strings. */
export interface ConditionDocument {
  operator: string;
  key: string;
  values: string[];
}

export interface StatementDocument {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: PrincipalDocument;
  notPrincipal?: PrincipalDocument;
  condition: ConditionDocument[];
}

export interface PolicyDocument {
  version: PolicyVersion;
  id?: string;
  statements: StatementDocument[];
}

export type ParseResult = { ok: true; document: PolicyDocument } | { ok: false; errors: string[] };

export interface ParseOptions {
  /** Resource-based (and trust) policies may omit Resource; every other kind must name one. */
  resourceOptional?: boolean;
}

const DOCUMENT_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
const PRINCIPAL_TYPES: Record<string, keyof Omit<PrincipalDocument, 'any'>> = {
  AWS: 'aws',
  Service: 'service',
  Federated: 'federated',
  CanonicalUser: 'canonicalUser',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string or a non-empty array of strings → the array; anything else → undefined. */
function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** Condition values may also be JSON booleans and numbers (`"Bool": {"aws:SecureTransport": false}`). */
function conditionValueList(value: unknown): string[] | undefined {
  const scalar = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'boolean' || typeof v === 'number' ? String(v) : undefined;
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const v of value) {
      const s = scalar(v);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }
  const s = scalar(value);
  return s === undefined ? undefined : [s];
}

function parsePrincipal(value: unknown, where: string, errors: string[]): PrincipalDocument | undefined {
  const principal: PrincipalDocument = { any: false, aws: [], service: [], federated: [], canonicalUser: [] };
  if (value === '*') {
    principal.any = true;
    return principal;
  }
  if (!isRecord(value)) {
    errors.push(`${where}: must be "*" or an object of principal types`);
    return undefined;
  }
  for (const [type, entries] of Object.entries(value)) {
    const field = PRINCIPAL_TYPES[type];
    if (field === undefined) {
      errors.push(`${where}: unknown principal type \`${type}\``);
      continue;
    }
    const list = stringList(entries);
    if (list === undefined) {
      errors.push(`${where}.${type}: must be a string or an array of strings`);
      continue;
    }
    principal[field].push(...list);
  }
  return principal;
}

function parseCondition(value: unknown, where: string, errors: string[]): ConditionDocument[] {
  const out: ConditionDocument[] = [];
  if (!isRecord(value)) {
    errors.push(`${where}: must be an object of condition operators`);
    return out;
  }
  for (const [operator, block] of Object.entries(value)) {
    if (!isRecord(block)) {
      errors.push(`${where}.${operator}: must be an object of condition keys`);
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const values = conditionValueList(raw);
      if (values === undefined) {
        errors.push(`${where}.${operator}.${key}: values must be strings, numbers or booleans`);
        continue;
      }
      out.push({ operator, key, values });
    }
  }
  return out;
}

function parseStatement(
  raw: unknown,
  index: number,
  options: ParseOptions,
  errors: string[],
): StatementDocument | undefined {
  const where = `Statement[${index}]`;
  if (!isRecord(raw)) {
    errors.push(`${where}: must be an object`);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_ELEMENTS.has(key)) errors.push(`${where}: unknown element \`${key}\``);
  }
  const statement: StatementDocument = { index, effect: 'Allow', condition: [] };
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid === 'string') statement.sid = raw.Sid;
    else errors.push(`${where}.Sid: must be a string`);
  }
  if (raw.Effect === 'Allow' || raw.Effect === 'Deny') statement.effect = raw.Effect;
  else errors.push(`${where}.Effect: must be "Allow" or "Deny"`);

  const list = (element: 'Action' | 'NotAction' | 'Resource' | 'NotResource'): string[] | undefined => {
    const value = raw[element];
    if (value === undefined) return undefined;
    // IAM stores `null` in a Resource list and reads it as no entry (see validate-iam-error.ts).
    const isResource = element === 'Resource' || element === 'NotResource';
    const values = stringList(isResource && Array.isArray(value) ? value.filter((v) => v !== null) : value);
    if (values === undefined) errors.push(`${where}.${element}: must be a string or an array of strings`);
    return values;
  };
  statement.action = list('Action');
  statement.notAction = list('NotAction');
  statement.resource = list('Resource');
  statement.notResource = list('NotResource');
  if (raw.Action !== undefined && raw.NotAction !== undefined) {
    errors.push(`${where}: Action and NotAction cannot both be present`);
  } else if (raw.Action === undefined && raw.NotAction === undefined) {
    errors.push(`${where}: one of Action or NotAction is required`);
  }
  if (raw.Resource !== undefined && raw.NotResource !== undefined) {
    errors.push(`${where}: Resource and NotResource cannot both be present`);
  } else if (raw.Resource === undefined && raw.NotResource === undefined && options.resourceOptional !== true) {
    errors.push(`${where}: one of Resource or NotResource is required`);
  }
  for (const action of [...(statement.action ?? []), ...(statement.notAction ?? [])]) {
    // `service:` with nothing after the colon is legal (it names no action, see compile.ts).
    if (action !== '*' && !/^[^:]+:[^:]*$/.test(action)) {
      errors.push(`${where}: action \`${action}\` must be "*" or "service:action"`);
    }
  }
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) {
    errors.push(`${where}: Principal and NotPrincipal cannot both be present`);
  }
  if (raw.Principal !== undefined) statement.principal = parsePrincipal(raw.Principal, `${where}.Principal`, errors);
  if (raw.NotPrincipal !== undefined) {
    statement.notPrincipal = parsePrincipal(raw.NotPrincipal, `${where}.NotPrincipal`, errors);
  }
  if (raw.Condition !== undefined) statement.condition = parseCondition(raw.Condition, `${where}.Condition`, errors);
  return statement;
}

/** Parses and normalises one policy document. `raw` is JSON text or an already-parsed value. */
export function parseDocument(raw: unknown, options: ParseOptions = {}): ParseResult {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch (error) {
      return { ok: false, errors: [`malformed JSON: ${error instanceof Error ? error.message : String(error)}`] };
    }
  }
  if (!isRecord(value)) return { ok: false, errors: ['the policy document must be a JSON object'] };
  const errors: string[] = [];
  for (const key of Object.keys(value)) {
    if (!DOCUMENT_ELEMENTS.has(key)) errors.push(`unknown element \`${key}\``);
  }
  // AWS: a document without Version is read as 2008-10-17, which has no policy variables.
  let version: PolicyVersion = '2008-10-17';
  if (value.Version !== undefined) {
    if (value.Version === '2012-10-17' || value.Version === '2008-10-17') version = value.Version;
    else errors.push('Version: must be "2012-10-17" or "2008-10-17"');
  }
  let id: string | undefined;
  if (value.Id !== undefined) {
    if (typeof value.Id === 'string') id = value.Id;
    else errors.push('Id: must be a string');
  }
  const rawStatements = value.Statement;
  const statements: StatementDocument[] = [];
  if (rawStatements === undefined) {
    errors.push('Statement: is required');
  } else {
    const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
    list.forEach((s, i) => {
      const statement = parseStatement(s, i, options, errors);
      if (statement !== undefined) statements.push(statement);
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const document: PolicyDocument = { version, statements };
  if (id !== undefined) document.id = id;
  return { ok: true, document };
}
