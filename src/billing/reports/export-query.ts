/**
 * An export's QueryStatement, read against the table dictionary (export-tables.ts): `SELECT item, … FROM TABLE`,
 * where an item is a column, or one key of a map column (`product['region']`), optionally renamed (`[AS] name`).
 * That is the part of Data Exports' SQL subset Bursar runs; anything else (`*`, WHERE, functions) is refused with
 * a ValidationException rather than ignored, so an export never delivers other rows than its query says. The
 * query's table configuration must name only that table's properties and valid values.
 *
 * The statement is parsed here and never reaches DuckDB: the delivery builds its SQL from the dictionary's own
 * expressions, so a query cannot read anything but its table.
 */
import { validationException } from '../../core/errors.js';
import {
  EXPORT_TABLES,
  effectiveProperties,
  exportTable,
  schemaOf,
  type ExportColumn,
  type ExportTable,
} from './export-tables.js';

/** One output column: its name in the files, the dictionary column, and the map key it reads, if any. */
export interface Selection {
  name: string;
  column: ExportColumn;
  key?: string;
}

export interface ExportQuery {
  table: ExportTable;
  /** Every property of the table, defaults filled in. */
  properties: Record<string, string>;
  selections: Selection[];
}

/** Words, string literals, and any other single character (operators are parsed only to be refused). */
const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|'((?:[^']|'')*)'|([^\sA-Za-z0-9_']))/y;

type Token = { word: string } | { text: string } | { mark: string };

function tokens(statement: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < statement.length) {
    if (/^\s*$/.test(statement.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(statement);
    if (match === null) {
      throw validationException(`The query has a syntax error near "${statement.slice(at, at + 20).trim()}".`);
    }
    if (match[1] !== undefined) out.push({ word: match[1] });
    else if (match[2] !== undefined) out.push({ text: match[2].replace(/''/g, "'") });
    else out.push({ mark: match[3]! });
  }
  return out;
}

const isWord = (token: Token | undefined, word?: string): token is { word: string } =>
  token !== undefined && 'word' in token && (word === undefined || token.word.toUpperCase() === word);
const isMark = (token: Token | undefined, mark: string) =>
  token !== undefined && 'mark' in token && token.mark === mark;

const tableList = () => EXPORT_TABLES.map((t) => t.name).join(', ');

export function parseExportQuery(
  statement: string,
  configurations: Record<string, Record<string, string>> = {},
): ExportQuery {
  const list = tokens(statement);
  // The table first, so a query over an unknown table says so whatever its columns.
  const from = list.findIndex((t) => isWord(t, 'FROM'));
  const tableToken = list[from + 1];
  const table = from > 0 && isWord(tableToken) ? exportTable(tableToken.word.toUpperCase()) : undefined;
  if (!isWord(list[0], 'SELECT') || table === undefined) {
    throw validationException(`The query must select from one of the tables ${tableList()}.`);
  }
  const rest = list.slice(from + 2);
  if (!(rest.length === 0 || (rest.length === 1 && isMark(rest[0], ';')))) {
    throw validationException(`The query may only select columns FROM ${table.name}; nothing may follow the table.`);
  }
  const properties = checkConfigurations(table, configurations);
  const schema = schemaOf(table, properties);
  const items = list.slice(1, from);
  if (items.length === 0) throw validationException('The query must select at least one column.');
  const selections: Selection[] = [];
  let i = 0;
  while (i < items.length) {
    const head = items[i];
    if (isMark(head, '*')) throw validationException('The query must name its columns: SELECT * is not supported.');
    if (!isWord(head)) throw validationException('The query has a syntax error in its column list.');
    const column = schema.find((c) => c.name.toLowerCase() === head.word.toLowerCase());
    if (column === undefined) {
      const hidden = table.columns.find((c) => c.name.toLowerCase() === head.word.toLowerCase());
      throw validationException(
        hidden === undefined
          ? `Column ${head.word} does not exist in table ${table.name}.`
          : `Column ${hidden.name} of table ${table.name} needs the table property ${hidden.when}=TRUE.`,
      );
    }
    i += 1;
    let key: string | undefined;
    if (isMark(items[i], '[')) {
      const keyToken = items[i + 1];
      if (
        !column.type.startsWith('map') ||
        keyToken === undefined ||
        !('text' in keyToken) ||
        !isMark(items[i + 2], ']')
      )
        throw validationException(
          `Only a map column's key may be selected with [ ]: ${column.name} is a ${column.type}.`,
        );
      key = keyToken.text;
      i += 3;
    }
    let name = key === undefined ? column.name : `${column.name}_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (isWord(items[i], 'AS')) i += 1;
    const alias = items[i];
    if (isWord(alias)) {
      name = alias.word;
      i += 1;
    }
    if (i < items.length) {
      if (!isMark(items[i], ',') || i === items.length - 1)
        throw validationException('The query has a syntax error in its column list.');
      i += 1;
    }
    if (selections.some((s) => s.name.toLowerCase() === name.toLowerCase()))
      throw validationException(`The query selects the column name ${name} twice.`);
    selections.push({ name, column, ...(key === undefined ? {} : { key }) });
  }
  return { table, properties, selections };
}

/** The table's effective properties; a configuration of another table, an unknown property or value is refused. */
function checkConfigurations(
  table: ExportTable,
  configurations: Record<string, Record<string, string>>,
): Record<string, string> {
  for (const [name, given] of Object.entries(configurations)) {
    if (name !== table.name) {
      throw validationException(`TableConfigurations names ${name}, but the query selects from ${table.name}.`);
    }
    checkTableProperties(table, given);
  }
  return effectiveProperties(table, configurations[table.name]);
}

/** Refuses a property the table does not have, or a value not among its valid values (GetTable and exports). */
export function checkTableProperties(table: ExportTable, given: Record<string, string>): void {
  for (const [property, value] of Object.entries(given)) {
    const known = table.properties.find((p) => p.name === property);
    if (known === undefined) {
      throw validationException(`Table ${table.name} has no property ${property}.`);
    }
    if (known.validValues.length > 0 && !known.validValues.includes(value)) {
      throw validationException(
        `Property ${property} of table ${table.name} must be one of ${known.validValues.join(', ')}.`,
      );
    }
  }
}
