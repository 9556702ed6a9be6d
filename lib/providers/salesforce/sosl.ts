// SOSL (Salesforce Object Search Language) has no bind parameters over REST either, and its FIND
// clause has its own reserved characters, different from SOQL's: every literal we put in a search
// goes through soslPhrase.
//
// Reserved in a search string, escaped with a backslash (Salesforce SOQL and SOSL Reference, "FIND
// {SearchQuery}" and "Example Text Searches",
// developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_find.htm,
// …/sforce_api_calls_sosl_examples.htm):   ? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -
// An unescaped `}` ends the FIND clause (what an injection would aim for), `*` and `?` are
// wildcards, `"` delimits phrases, and the words AND, OR and NOT are operators unless quoted.
// So a literal becomes one quoted phrase with every reserved character escaped inside it.

const RESERVED = /[?&|!{}[\]()^~*:\\"'+-]/g;
/** C0 controls and DEL: they only separate words in a search, and a raw one must never reach the query. */
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** The text with every SOSL reserved character backslash-escaped and control characters as spaces. */
export function soslEscape(text: string): string {
  return text.replace(CONTROL, ' ').replace(RESERVED, (ch) => `\\${ch}`);
}

/** One literal as a quoted SOSL phrase: matched as words in order, never read as an operator or wildcard. */
export function soslPhrase(text: string): string {
  const escaped = soslEscape(text).replace(/\s+/g, ' ').trim();
  if (!escaped) throw new Error('A SOSL phrase needs some text');
  return `"${escaped}"`;
}

/** A FIND search string matching any of the literals: `{"a" OR "b"}`. */
export function soslAnyOf(texts: readonly string[]): string {
  const phrases = [...new Set(texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean))].map(soslPhrase);
  if (phrases.length === 0) throw new Error('A SOSL search needs at least one phrase');
  return `{${phrases.join(' OR ')}}`;
}
