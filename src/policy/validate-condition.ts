/** Validation of a statement's Condition element: operators, keys, their types and values. */
import type { CatalogView, ConditionKeyType } from './validate.js';
import type { JsonEntry, JsonNode } from './validate-json.js';
import { checkVariables, describeNode, type FindingSink, type Path } from './validate-sink.js';
import { closestMatch } from './validate-text.js';

type Family = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

const OPERATORS: Record<string, Family> = {
  StringEquals: 'String',
  StringNotEquals: 'String',
  StringEqualsIgnoreCase: 'String',
  StringNotEqualsIgnoreCase: 'String',
  StringLike: 'String',
  StringNotLike: 'String',
  NumericEquals: 'Numeric',
  NumericNotEquals: 'Numeric',
  NumericLessThan: 'Numeric',
  NumericLessThanEquals: 'Numeric',
  NumericGreaterThan: 'Numeric',
  NumericGreaterThanEquals: 'Numeric',
  DateEquals: 'Date',
  DateNotEquals: 'Date',
  DateLessThan: 'Date',
  DateLessThanEquals: 'Date',
  DateGreaterThan: 'Date',
  DateGreaterThanEquals: 'Date',
  Bool: 'Bool',
  BinaryEquals: 'Binary',
  IpAddress: 'IpAddress',
  NotIpAddress: 'IpAddress',
  ArnEquals: 'Arn',
  ArnLike: 'Arn',
  ArnNotEquals: 'Arn',
  ArnNotLike: 'Arn',
  Null: 'Null',
};
const OPERATOR_NAMES = Object.keys(OPERATORS);

/** Key types each operator family is meant for (AWS lets String operators compare ARN-typed keys too). */
const FAMILY_KEY_TYPES: Record<Exclude<Family, 'Null'>, readonly string[]> = {
  String: ['String', 'ARN'],
  Numeric: ['Numeric'],
  Date: ['Date'],
  Bool: ['Bool'],
  Binary: ['Binary'],
  IpAddress: ['IPAddress'],
  Arn: ['ARN'],
};

/** The operator family to suggest for a key type. */
const SUGGESTED_FAMILY: Record<string, string> = {
  String: 'String',
  ARN: 'Arn',
  Numeric: 'Numeric',
  Date: 'Date',
  Bool: 'Bool',
  Binary: 'Binary',
  IPAddress: 'IpAddress',
};

const scalarType = (type: ConditionKeyType): string => type.replace(/^ArrayOf/, '');

interface ParsedOperator {
  base: string;
  family: Family;
  qualifier: 'ForAllValues' | 'ForAnyValue' | undefined;
  ifExists: boolean;
}

function parseOperator(operator: string): ParsedOperator | undefined {
  let rest = operator;
  let qualifier: ParsedOperator['qualifier'];
  if (rest.startsWith('ForAllValues:')) {
    qualifier = 'ForAllValues';
    rest = rest.slice('ForAllValues:'.length);
  } else if (rest.startsWith('ForAnyValue:')) {
    qualifier = 'ForAnyValue';
    rest = rest.slice('ForAnyValue:'.length);
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const family = Object.hasOwn(OPERATORS, base) ? OPERATORS[base] : undefined;
  return family === undefined ? undefined : { base, family, qualifier, ifExists };
}

/** Condition values as written: a scalar or an array of scalars. */
function conditionValues(sink: FindingSink, node: JsonNode, path: Path): { value: string; path: Path }[] | undefined {
  const scalar = (n: JsonNode): string | undefined =>
    n.kind === 'string' ? n.value : n.kind === 'number' || n.kind === 'boolean' ? String(n.value) : undefined;
  const single = scalar(node);
  if (single !== undefined) return [{ value: single, path }];
  if (node.kind !== 'array') {
    sink.report(
      'ERROR',
      'DATA_TYPE_MISMATCH',
      `A condition value must be a string, number, boolean or an array of them, not ${describeNode(node)}.`,
      path,
    );
    return undefined;
  }
  const values: { value: string; path: Path }[] = [];
  const kinds = new Set<string>();
  node.items.forEach((item, index) => {
    const value = scalar(item);
    if (value === undefined) {
      sink.report(
        'ERROR',
        'DATA_TYPE_MISMATCH',
        `A condition value must be a string, number or boolean, not ${describeNode(item)}.`,
        [...path, index],
      );
    } else {
      kinds.add(item.kind);
      values.push({ value, path: [...path, index] });
    }
  });
  if (kinds.size > 1) {
    sink.report(
      'ERROR',
      'INVALID_CONDITION_DATA_TYPE',
      'The condition value data types do not match. Use condition values of the same JSON data type.',
      path,
    );
  }
  return values;
}

/**
 * Validates a Condition element and returns the condition keys it uses (as written).
 * `effect` is the statement's effect, when valid (set-operator warnings depend on it).
 */
export function checkCondition(
  sink: FindingSink,
  node: JsonNode,
  path: Path,
  catalog: CatalogView | undefined,
  variablesEnabled: boolean,
  effect: 'Allow' | 'Deny' | undefined,
): string[] {
  const keys: string[] = [];
  if (node.kind !== 'object') {
    sink.report(
      'ERROR',
      'DATA_TYPE_MISMATCH',
      `The Condition element must be an object, not ${describeNode(node)}.`,
      path,
    );
    return keys;
  }
  if (node.entries.length === 0) {
    sink.report(
      'SUGGESTION',
      'EMPTY_OBJECT_CONDITION',
      'This condition block is empty and it does not affect the policy. Specify conditions.',
      path,
    );
    return keys;
  }
  const seenOperators = new Set<string>();
  for (const block of node.entries) {
    const blockPath = [...path, block.key];
    if (seenOperators.has(block.key)) {
      sink.report(
        'ERROR',
        'DUPLICATE_ELEMENT',
        `The condition operator ${block.key} appears more than once in this Condition element; IAM would keep only one. Merge the blocks.`,
        blockPath,
      );
      continue;
    }
    seenOperators.add(block.key);
    const operator = parseOperator(block.key);
    if (operator === undefined) {
      const bare = block.key.replace(/^For(AllValues|AnyValue):/, '').replace(/IfExists$/, '');
      const suggestion = closestMatch(bare, OPERATOR_NAMES);
      sink.report(
        'ERROR',
        'INVALID_CONDITION_OPERATOR',
        `The condition operator ${block.key} is not valid.${suggestion === undefined ? '' : ` Did you mean ${suggestion}?`}`,
        blockPath,
      );
      continue;
    }
    if (operator.family === 'Null' && operator.ifExists) {
      sink.report(
        'ERROR',
        'NULL_WITH_IF_EXISTS',
        'The Null condition operator cannot be used with the IfExists suffix. Update the operator or the suffix.',
        blockPath,
      );
    }
    if (operator.family === 'Null' && operator.qualifier !== undefined) {
      sink.report(
        'SUGGESTION',
        'NULL_WITH_QUALIFIER',
        'Avoid using the Null condition operator with the ForAllValues or ForAnyValue qualifiers because they always return a true or false respectively.',
        blockPath,
      );
    }
    if (block.value.kind !== 'object') {
      sink.report(
        'ERROR',
        'DATA_TYPE_MISMATCH',
        `The condition operator ${block.key} must map condition keys to values, not be ${describeNode(block.value)}.`,
        blockPath,
      );
      continue;
    }
    if (block.value.entries.length === 0) {
      sink.report(
        'SUGGESTION',
        'EMPTY_OBJECT_CONDITION',
        `The condition operator ${block.key} has no condition keys and does not affect the policy. Specify conditions.`,
        blockPath,
      );
      continue;
    }
    const seenKeys = new Map<string, string>();
    for (const entry of block.value.entries) {
      const keyPath = [...blockPath, entry.key];
      const lower = entry.key.toLowerCase();
      const earlier = seenKeys.get(lower);
      if (earlier !== undefined) {
        const issueCode = earlier === entry.key ? 'DUPLICATE_ELEMENT' : 'DUPLICATE_KEYS_WITH_DIFFERENT_CASE';
        sink.report(
          'ERROR',
          issueCode,
          `The condition key ${entry.key} appears more than once in the same condition block. Remove the duplicate condition keys.`,
          keyPath,
        );
        continue;
      }
      seenKeys.set(lower, entry.key);
      keys.push(entry.key);
      checkConditionEntry(sink, operator, block.key, entry, keyPath, catalog, variablesEnabled, effect);
    }
  }
  return keys;
}

function checkConditionEntry(
  sink: FindingSink,
  operator: ParsedOperator,
  operatorName: string,
  entry: JsonEntry,
  path: Path,
  catalog: CatalogView | undefined,
  variablesEnabled: boolean,
  effect: 'Allow' | 'Deny' | undefined,
): void {
  const key = entry.key;
  const types = checkKey(sink, key, path, catalog);
  const values = conditionValues(sink, entry.value, path);
  if (values === undefined) return;

  if (values.length === 0) {
    const variant =
      operator.qualifier === 'ForAllValues'
        ? '_FORALLVALUES'
        : operator.qualifier === 'ForAnyValue'
          ? '_FORANYVALUE'
          : operator.ifExists
            ? '_IFEXISTS'
            : '';
    sink.report(
      'SUGGESTION',
      `EMPTY_ARRAY_CONDITION${variant}`,
      `There are no values for the condition key ${key} and it does not affect the policy. Specify condition values.`,
      path,
    );
    return;
  }

  if (types !== undefined && operator.family !== 'Null') {
    const accepted = FAMILY_KEY_TYPES[operator.family];
    if (!types.some((t) => accepted.includes(scalarType(t)))) {
      const suggested = types.map((t) => SUGGESTED_FAMILY[scalarType(t)] ?? scalarType(t)).join(' or ');
      sink.report(
        'WARNING',
        'TYPE_MISMATCH',
        `Use the operator type ${suggested} instead of operator ${operatorName} for the condition key ${key}.`,
        path,
      );
    }
    if (operator.qualifier === 'ForAllValues' && effect === 'Allow' && types.every((t) => !t.startsWith('ArrayOf'))) {
      sink.report(
        'SECURITY_WARNING',
        'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
        `Using ForAllValues qualifier with the single-valued condition key ${key} can be overly permissive. We recommend that you remove ForAllValues:.`,
        path,
      );
    }
  }

  for (const { value, path: valuePath } of values) {
    if (value.includes('${')) {
      // Variables are resolved at request time; only their syntax can be checked here.
      checkVariables(sink, value, valuePath, variablesEnabled);
      continue;
    }
    checkValue(sink, operator, operatorName, value, valuePath);
  }
  if (operator.family === 'IpAddress' && key.toLowerCase() === 'aws:sourceip')
    checkPrivateAddresses(sink, operator.base, values, path);
}

function checkKey(
  sink: FindingSink,
  key: string,
  path: Path,
  catalog: CatalogView | undefined,
): readonly ConditionKeyType[] | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) {
    sink.report(
      'ERROR',
      'INVALID_CONDITION_KEY_FORMAT',
      `The condition key format of ${key} is not valid. Use the format service:keyname.`,
      path,
    );
    return undefined;
  }
  if (catalog === undefined) return undefined;
  const types = catalog.conditionKeyTypes(key);
  if (types !== undefined) return types;
  const prefix = key.slice(0, colon);
  if (prefix.toLowerCase() === 'aws') {
    const suggestion = closestMatch(key, catalog.globalConditionKeys());
    sink.report(
      'ERROR',
      'INVALID_GLOBAL_CONDITION_KEY',
      `The condition key ${key} does not exist. Use a valid condition key.${suggestion === undefined ? '' : ` Did you mean ${suggestion}?`}`,
      path,
    );
  } else if (catalog.hasService(prefix)) {
    sink.report(
      'ERROR',
      'INVALID_SERVICE_CONDITION_KEY',
      `The condition key ${key} does not exist in the service ${prefix}. Use a valid condition key.`,
      path,
    );
  }
  // Other prefixes (saml:, accounts.google.com:, …) are identity-provider keys the catalog does not list.
  return undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d{1,2}))?$/;
const IPV6 = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(\/\d{1,3})?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function ipv4Octets(value: string): number[] | undefined {
  const match = IPV4.exec(value);
  if (match === null) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = match[6] === undefined ? 32 : Number(match[6]);
  return octets.every((o) => o <= 255) && prefix <= 32 ? octets : undefined;
}

function isIpRange(value: string): boolean {
  if (ipv4Octets(value) !== undefined) return true;
  if (!IPV6.test(value)) return false;
  const prefix = value.split('/')[1];
  return prefix === undefined || Number(prefix) <= 128;
}

function checkValue(
  sink: FindingSink,
  operator: ParsedOperator,
  operatorName: string,
  value: string,
  path: Path,
): void {
  switch (operator.family) {
    case 'Numeric':
      if (!NUMBER.test(value))
        sink.report(
          'WARNING',
          'TYPE_MISMATCH_NUMBER',
          `Add a valid numeric value for the condition operator ${operatorName}; ${value} is not a number.`,
          path,
        );
      break;
    case 'Date':
      if (/^\d+$/.test(value)) {
        sink.report(
          'WARNING',
          'INVALID_DATE_VALUE',
          `The date ${value} might not resolve as expected. We recommend that you use the YYYY-MM-DD format.`,
          path,
        );
      } else if (!ISO_DATE.test(value)) {
        sink.report(
          'WARNING',
          'TYPE_MISMATCH_DATE',
          `The date condition operator is used with an invalid value (${value}). Specify a valid date using YYYY-MM-DD or other ISO 8601 date/time format.`,
          path,
        );
      }
      break;
    case 'Bool':
    case 'Null':
      if (value.toLowerCase() !== 'true' && value.toLowerCase() !== 'false') {
        sink.report(
          'WARNING',
          'TYPE_MISMATCH_BOOLEAN',
          `Add a valid Boolean value (true or false) for the condition operator ${operatorName}.`,
          path,
        );
      }
      break;
    case 'IpAddress':
      if (!isIpRange(value))
        sink.report(
          'WARNING',
          'TYPE_MISMATCH_IP_RANGE',
          `The condition operator ${operatorName} is used with an invalid IP range value (${value}). Specify the IP range in standard CIDR format.`,
          path,
        );
      break;
    case 'Binary':
      if (!BASE64.test(value) || value.length % 4 !== 0)
        sink.report(
          'WARNING',
          'TYPE_MISMATCH_STRING',
          `Add a valid base64-encoded string value for the condition operator ${operatorName}.`,
          path,
        );
      break;
    case 'String':
      if (!operator.base.includes('Like') && /[*?]/.test(value)) {
        sink.report(
          'WARNING',
          'WILDCARD_WITHOUT_LIKE_OPERATOR',
          'Your condition value includes a * or ? character. If you meant to use a wildcard (*, ?), update the condition operator to include Like.',
          path,
        );
      }
      break;
    case 'Arn':
      if (!operator.base.includes('Like') && /[*?]/.test(value)) {
        sink.report(
          'WARNING',
          'WILDCARD_WITHOUT_LIKE_OPERATOR',
          'Your condition value includes a * or ? character. If you meant to use a wildcard (*, ?), update the condition operator to include Like.',
          path,
        );
      }
      break;
  }
}

function isPrivateIpv4(octets: number[]): boolean {
  const [a = 0, b = 0] = octets;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** aws:SourceIp carries only public addresses: private ranges in it never match (IpAddress) or always do (NotIpAddress). */
function checkPrivateAddresses(sink: FindingSink, base: string, values: { value: string }[], path: Path): void {
  const parsed = values.map((v) => ipv4Octets(v.value));
  const privateCount = parsed.filter((o) => o !== undefined && isPrivateIpv4(o)).length;
  if (privateCount === 0) return;
  const negated = base === 'NotIpAddress';
  if (privateCount === values.length) {
    sink.report(
      'ERROR',
      negated ? 'PRIVATE_NOT_IP_ADDRESS' : 'PRIVATE_IP_ADDRESS',
      negated
        ? 'The values for condition key aws:SourceIp include only private IP addresses and has no effect. aws:SourceIp works only for public IP address ranges. Update the value to include only public IP addresses.'
        : 'aws:SourceIp works only for public IP address ranges. The values for condition key aws:SourceIp include only private IP addresses and will not have the desired effect. Update the value to include only public IP addresses.',
      path,
    );
  } else {
    sink.report(
      'SUGGESTION',
      negated ? 'PRIVATE_NOT_IP_ADDRESS_SUBSET' : 'PRIVATE_IP_ADDRESS_SUBSET',
      'The values for condition key aws:SourceIp include a mix of private and public IP addresses. The private addresses will not have the desired effect. aws:SourceIp works only for public IP address ranges. To define permissions for private IP ranges, use aws:VpcSourceIp.',
      path,
    );
  }
}
