// SOQL has no bind parameters over REST, so every literal we put in a query is escaped here
// (SOQL injection is the SQL injection of Salesforce).

/** A quoted SOQL string literal, per the SOQL reserved-character escapes. */
export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => {
    switch (ch) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${ch}`;
    }
  });
  return `'${escaped}'`;
}

const SOQL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/** SOQL datetime literals are unquoted, so only a strictly formatted timestamp may pass. */
export function soqlDateTime(value: string | Date): string {
  const text = value instanceof Date ? value.toISOString() : value;
  if (!SOQL_DATETIME.test(text) || Number.isNaN(Date.parse(text))) {
    throw new Error(`Not a SOQL datetime literal: ${JSON.stringify(text).slice(0, 60)}`);
  }
  return text;
}

const SOQL_IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*(__c|__r)?$/;

/** Field and object names come from our definitions, but a mapping typo must not become SOQL. */
export function soqlIdentifier(name: string): string {
  if (!SOQL_IDENTIFIER.test(name)) throw new Error(`Not a SOQL identifier: ${JSON.stringify(name).slice(0, 60)}`);
  return name;
}
