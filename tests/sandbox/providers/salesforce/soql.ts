// The slice of SOQL the sandbox understands, parsed strictly enough to catch escaping bugs:
//   SELECT <fields> FROM Contact|Lead|Opportunity
//   [WHERE <condition> [AND <condition> ...] | <condition> [OR <condition> ...]]
//   [ORDER BY SystemModstamp [ASC], Id [ASC]] [LIMIT n]
// where a condition is `<field> <op> <literal>` or `<field> IN (<literal>, ...)`. As in SOQL, AND
// and OR do not mix without parentheses (and the sandbox takes no parentheses). String literals
// follow SOQL's quoting rules (backslash escapes only), so an unescaped quote leaves a stray token
// and the query is MALFORMED_QUERY, as Salesforce answers.

export type FieldType = 'id' | 'string' | 'number' | 'date' | 'datetime' | 'boolean';
export type SObject = 'Contact' | 'Lead' | 'Opportunity';
export type Literal = string | number | boolean | null;

export type Condition =
  | {
      field: string;
      op: '=' | '!=' | '<' | '<=' | '>' | '>=';
      /** Datetimes as ms since the epoch; dates as 'YYYY-MM-DD'. */
      value: Literal;
    }
  | { field: string; op: 'IN'; values: Literal[] };

export interface SoqlQuery {
  object: SObject;
  fields: string[];
  conditions: Condition[];
  /** How the conditions combine. */
  join: 'AND' | 'OR';
  limit?: number;
}

export type SoqlResult = { ok: true; query: SoqlQuery } | { ok: false; errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE'; message: string };

type Token =
  | { kind: 'word' | 'op' | 'punct'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'datetime'; value: number; text: string; at: number }
  | { kind: 'date' | 'number'; text: string; at: number };

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', _: '\\_', '%': '\\%' };
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(\.\d+)?(?![\w.])/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATOR = /^(<=|>=|!=|<>|=|<|>)/;

class Malformed extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const rest = soql.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= soql.length) throw new Malformed(i, `Invalid string literal '${soql.slice(i, i + 40)}'. Missing closing quote character.`);
        const ch = soql[j];
        if (ch === "'") break;
        if (ch === '\\') {
          const escaped = ESCAPES[soql[j + 1] ?? ''];
          if (escaped === undefined) throw new Malformed(j, `Invalid string literal. Illegal character sequence '\\${soql[j + 1] ?? ''}' in string literal.`);
          value += escaped;
          j += 2;
          continue;
        }
        value += ch;
        j += 1;
      }
      tokens.push({ kind: 'string', value, at: i });
      i = j + 1;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      const value = Date.parse(datetime[0]);
      if (Number.isNaN(value)) throw new Malformed(i, `line 1:${i} no viable alternative at character '${datetime[0]}'`);
      tokens.push({ kind: 'datetime', value, text: datetime[0], at: i });
      i += datetime[0].length;
      continue;
    }
    const match = DATE.exec(rest) ?? null;
    if (match) {
      tokens.push({ kind: 'date', text: match[0], at: i });
      i += match[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    const word = number ? null : WORD.exec(rest);
    const op = OPERATOR.exec(rest);
    if (number) tokens.push({ kind: 'number', text: number[0], at: i });
    else if (word) tokens.push({ kind: 'word', text: word[0], at: i });
    else if (op) tokens.push({ kind: 'op', text: op[0] === '<>' ? '!=' : op[0], at: i });
    else if (rest[0] === ',' || rest[0] === '(' || rest[0] === ')') tokens.push({ kind: 'punct', text: rest[0], at: i });
    else throw new Malformed(i, `line 1:${i} no viable alternative at character '${rest[0]}'`);
    i += number?.[0].length ?? word?.[0].length ?? op?.[0].length ?? 1;
  }
  return tokens;
}

const isComma = (token: Token | undefined) => token?.kind === 'punct' && token.text === ',';
const describe = (token: Token | undefined) => (!token ? '<EOF>' : 'text' in token ? token.text : `'${token.value}'`);

/** Parses against a schema of canonical field names → types per object. */
export function parseSoql(soql: string, schema: Record<SObject, Record<string, FieldType>>): SoqlResult {
  let tokens: Token[];
  try {
    tokens = tokenize(soql);
  } catch (error) {
    if (error instanceof Malformed) return malformed(soql, error.at, error.message);
    throw error;
  }
  let k = 0;
  const peek = () => tokens[k];
  const fail = (expected: string): SoqlResult => malformed(soql, peek()?.at ?? soql.length, `unexpected token: ${describe(peek())} (expected ${expected})`);
  const keyword = (word: string) => {
    const token = peek();
    if (token?.kind === 'word' && token.text.toUpperCase() === word) {
      k += 1;
      return true;
    }
    return false;
  };

  if (!keyword('SELECT')) return fail('SELECT');
  const selected: string[] = [];
  do {
    const token = peek();
    if (token?.kind !== 'word' || token.text.toUpperCase() === 'FROM') return fail('a field name');
    selected.push(token.text);
    k += 1;
  } while (isComma(peek()) && ++k);
  if (!keyword('FROM')) return fail('FROM');
  const objectToken = peek();
  if (objectToken?.kind !== 'word') return fail('an object name');
  k += 1;
  const object = (Object.keys(schema) as SObject[]).find((name) => name.toLowerCase() === objectToken.text.toLowerCase());
  if (!object) return { ok: false, errorCode: 'INVALID_TYPE', message: `sObject type '${objectToken.text}' is not supported.` };
  const fieldsOf = schema[object];
  const canonical = (name: string) => Object.keys(fieldsOf).find((field) => field.toLowerCase() === name.toLowerCase());
  const noSuchField = (name: string): SoqlResult => ({
    ok: false,
    errorCode: 'INVALID_FIELD',
    message: `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  });
  const fields: string[] = [];
  for (const name of selected) {
    const field = canonical(name);
    if (!field) return noSuchField(name);
    if (!fields.includes(field)) fields.push(field);
  }

  const conditions: Condition[] = [];
  let join: 'AND' | 'OR' = 'AND';
  if (keyword('WHERE')) {
    const punct = (text: string) => {
      const token = peek();
      if (token?.kind === 'punct' && token.text === text) {
        k += 1;
        return true;
      }
      return false;
    };
    const literalOf = (field: string): { value: Literal } | SoqlResult => {
      const literal = peek();
      if (!literal) return fail('a value');
      k += 1;
      const value = literalFor(fieldsOf[field], literal);
      if (value === undefined) {
        const type = fieldsOf[field] === 'datetime' ? 'dateTime' : fieldsOf[field];
        const quoted = literal.kind === 'string' ? ' and should not be enclosed in quotes' : '';
        const message = `value of filter criterion for field '${field}' must be of type ${type}${literal.kind === 'string' ? quoted : ''}`;
        return { ok: false, errorCode: 'INVALID_FIELD', message };
      }
      return { value };
    };
    for (;;) {
      const fieldToken = peek();
      if (fieldToken?.kind !== 'word') return fail('a field name');
      k += 1;
      const field = canonical(fieldToken.text);
      if (!field) return noSuchField(fieldToken.text);
      if (keyword('IN')) {
        if (!punct('(')) return fail('(');
        const values: Literal[] = [];
        do {
          const literal = literalOf(field);
          if (!('value' in literal)) return literal;
          values.push(literal.value);
        } while (punct(','));
        if (!punct(')')) return fail(')');
        conditions.push({ field, op: 'IN', values });
      } else {
        const opToken = peek();
        if (opToken?.kind !== 'op') return fail('a comparison operator');
        k += 1;
        const literal = literalOf(field);
        if (!('value' in literal)) return literal;
        conditions.push({ field, op: (opToken as { text: Exclude<Condition['op'], 'IN'> }).text, value: literal.value });
      }
      const next = peek();
      const word = next?.kind === 'word' ? next.text.toUpperCase() : '';
      if (word !== 'AND' && word !== 'OR') break;
      // SOQL refuses AND and OR side by side without parentheses.
      if (conditions.length > 1 && word !== join) return fail(`${join} (use parentheses to mix AND and OR)`);
      join = word;
      k += 1;
    }
  }

  if (keyword('ORDER')) {
    if (!keyword('BY')) return fail('BY');
    for (const [index, name] of ['SYSTEMMODSTAMP', 'ID'].entries()) {
      if (!keyword(name)) return fail(index === 0 ? 'SystemModstamp' : 'Id');
      keyword('ASC');
      const comma = peek();
      if (index === 0 && !(comma?.kind === 'punct' && comma.text === ',' && ++k)) return fail(',');
    }
  }
  let limit: number | undefined;
  if (keyword('LIMIT')) {
    const token = peek();
    if (token?.kind !== 'number' || !/^\d+$/.test(token.text)) return fail('a row count');
    limit = Number(token.text);
    k += 1;
  }
  if (peek()) return fail('end of query');
  return { ok: true, query: { object, fields, conditions, join, limit } };
}

function literalFor(type: FieldType, token: Token): Literal | undefined {
  if (token.kind === 'word' && token.text.toLowerCase() === 'null') return null;
  switch (type) {
    case 'datetime':
      return token.kind === 'datetime' ? token.value : undefined;
    case 'date':
      return token.kind === 'date' ? token.text : undefined;
    case 'number':
      return token.kind === 'number' ? Number(token.text) : undefined;
    case 'boolean':
      return token.kind === 'word' && /^(true|false)$/i.test(token.text) ? token.text.toLowerCase() === 'true' : undefined;
    default:
      return token.kind === 'string' ? token.value : undefined;
  }
}

function malformed(soql: string, at: number, detail: string): SoqlResult {
  const snippet = soql.length > 200 ? `${soql.slice(0, 200)}…` : soql;
  return { ok: false, errorCode: 'MALFORMED_QUERY', message: `\n${snippet}\n${' '.repeat(Math.min(at, 200))}^\nERROR at Row:1:Column:${at + 1}\n${detail}` };
}
