// The slice of SOSL the sandbox understands, parsed strictly enough to catch escaping bugs:
//   FIND {<search>} [IN ALL|NAME|EMAIL|PHONE|SIDEBAR FIELDS]
//   [RETURNING <Object>[(<field>, ... [LIMIT n])] [, ...]] [LIMIT n]
// and the search string alone for parameterizedSearch. In <search>: words, "quoted phrases",
// AND / OR / AND NOT (adjacent terms AND), parentheses, and the wildcards * and ?. The reserved
// characters ? & | ! { } [ ] ( ) ^ ~ * : \ " ' + - (SOQL and SOSL Reference, "FIND {SearchQuery}")
// mean something unless backslash-escaped; the FIND clause ends at the first unescaped `}`. Any
// reserved character the sandbox gives no meaning to, unescaped, is MALFORMED_SEARCH, as is an
// unbalanced brace, quote or parenthesis: so an escaping bug shows as an error or extra records.
//
// Matching: a field's text is split into words at anything that is not a letter or digit; a term
// or phrase matches when its words appear in that order, side by side, ignoring case (a wildcard
// matches within one word). "+44 20 7946 0011" is the words 44 20 7946 0011: the phrase
// "020 7946 0011" does not match it, "+44 20 7946 0011" does.

const RESERVED = new Set('?&|!{}[]()^~*:\\"\'+-');

export type SearchGroup = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE' | 'SIDEBAR';

/** One word pattern: literal text, or a regex when it holds wildcards. */
type WordMatcher = { kind: 'literal'; text: string } | { kind: 'wild'; pattern: RegExp };

export type SearchNode =
  | { kind: 'words'; words: WordMatcher[] }
  | { kind: 'and'; left: SearchNode; right: SearchNode; not?: boolean }
  | { kind: 'or'; left: SearchNode; right: SearchNode };

export interface ReturningSpec {
  object: string;
  fields: string[];
  limit?: number;
}

export interface SoslQuery {
  search: SearchNode;
  group: SearchGroup;
  returning: ReturningSpec[];
  limit?: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errorCode: 'MALFORMED_SEARCH'; message: string };

class Malformed extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

/** A character of the search string, and whether a backslash made it literal. */
interface Char {
  ch: string;
  escaped: boolean;
  at: number;
}

type Token = { kind: 'open' | 'close'; at: number } | { kind: 'op'; op: 'AND' | 'OR' | 'NOT'; at: number } | { kind: 'words'; words: WordMatcher[]; at: number };

const isWordChar = (ch: string) => /[\p{L}\p{N}]/u.test(ch);

/** Words of a run of characters: literal letters and digits, unescaped * and ? as wildcards; everything else separates. */
function wordsOf(chars: Char[]): WordMatcher[] {
  const words: WordMatcher[] = [];
  let current: Char[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const wild = current.some((c) => !c.escaped && (c.ch === '*' || c.ch === '?'));
    if (!wild) words.push({ kind: 'literal', text: current.map((c) => c.ch).join('').toLowerCase() });
    else {
      const source = current
        .map((c) => (!c.escaped && c.ch === '*' ? '[\\p{L}\\p{N}]*' : !c.escaped && c.ch === '?' ? '[\\p{L}\\p{N}]' : c.ch.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      words.push({ kind: 'wild', pattern: new RegExp(`^${source}$`, 'u') });
    }
    current = [];
  };
  for (const c of chars) {
    if (isWordChar(c.ch) || (!c.escaped && (c.ch === '*' || c.ch === '?'))) current.push(c);
    else flush();
  }
  flush();
  return words;
}

/** The search string's tokens. Offsets count from `base` (for error messages). */
function lex(chars: Char[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (!c.escaped && /\s/.test(c.ch)) {
      i += 1;
      continue;
    }
    if (!c.escaped && c.ch === '(') {
      tokens.push({ kind: 'open', at: c.at });
      i += 1;
      continue;
    }
    if (!c.escaped && c.ch === ')') {
      tokens.push({ kind: 'close', at: c.at });
      i += 1;
      continue;
    }
    if (!c.escaped && c.ch === '"') {
      const inside: Char[] = [];
      let j = i + 1;
      for (;;) {
        const d = chars[j];
        if (!d) throw new Malformed(c.at, 'mismatched character \'<EOF>\' expecting \'"\'');
        if (!d.escaped && d.ch === '"') break;
        if (!d.escaped && RESERVED.has(d.ch) && d.ch !== '*' && d.ch !== '?') throw new Malformed(d.at, `unexpected character '${d.ch}' in a phrase`);
        inside.push(d);
        j += 1;
      }
      tokens.push({ kind: 'words', words: wordsOf(inside), at: c.at });
      i = j + 1;
      continue;
    }
    // A bare term: up to whitespace, a parenthesis or a quote.
    const term: Char[] = [];
    let j = i;
    while (j < chars.length) {
      const d = chars[j];
      if (!d.escaped && (/\s/.test(d.ch) || d.ch === '(' || d.ch === ')' || d.ch === '"')) break;
      if (!d.escaped && RESERVED.has(d.ch) && d.ch !== '*' && d.ch !== '?') throw new Malformed(d.at, `unexpected character '${d.ch}'`);
      term.push(d);
      j += 1;
    }
    const text = term.map((d) => d.ch).join('');
    const plain = term.every((d) => !d.escaped);
    const upper = text.toUpperCase();
    if (plain && (upper === 'AND' || upper === 'OR' || upper === 'NOT')) tokens.push({ kind: 'op', op: upper, at: c.at });
    else tokens.push({ kind: 'words', words: wordsOf(term), at: c.at });
    i = j;
  }
  return tokens;
}

/** or := and (OR and)*; and := unary ((AND [NOT] | NOT | adjacency) unary)*; unary := ( or ) | term. */
function parseExpression(tokens: Token[], end: number): SearchNode {
  let k = 0;
  const peek = () => tokens[k];
  const unary = (): SearchNode => {
    const token = peek();
    if (!token) throw new Malformed(end, "mismatched input '<EOF>' expecting a search term");
    if (token.kind === 'open') {
      k += 1;
      const inner = or();
      if (peek()?.kind !== 'close') throw new Malformed(peek()?.at ?? end, "missing ')'");
      k += 1;
      return inner;
    }
    if (token.kind === 'words') {
      k += 1;
      return { kind: 'words', words: token.words };
    }
    throw new Malformed(token.at, `unexpected ${token.kind === 'op' ? token.op : "')'"}`);
  };
  const and = (): SearchNode => {
    let left = unary();
    for (;;) {
      const token = peek();
      if (!token || token.kind === 'close' || (token.kind === 'op' && token.op === 'OR')) return left;
      let not = false;
      if (token.kind === 'op') {
        k += 1;
        if (token.op === 'NOT') not = true;
        else if (peek()?.kind === 'op' && (peek() as { op: string }).op === 'NOT') {
          k += 1;
          not = true;
        }
      }
      left = { kind: 'and', left, right: unary(), ...(not ? { not } : {}) };
    }
  };
  const or = (): SearchNode => {
    let left = and();
    while (peek()?.kind === 'op' && (peek() as { op: string }).op === 'OR') {
      k += 1;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const node = or();
  if (k < tokens.length) throw new Malformed(tokens[k].at, "extraneous input (unbalanced ')'?)");
  return node;
}

/** The characters of a search string, escapes resolved. */
function charsOf(text: string, base: number): Char[] {
  const chars: Char[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      if (i + 1 >= text.length) throw new Malformed(base + i, 'a backslash must escape a character');
      chars.push({ ch: text[i + 1], escaped: true, at: base + i });
      i += 1;
    } else chars.push({ ch: text[i], escaped: false, at: base + i });
  }
  return chars;
}

function malformed(query: string, at: number, detail: string): Parsed<never> {
  const snippet = query.length > 200 ? `${query.slice(0, 200)}…` : query;
  return { ok: false, errorCode: 'MALFORMED_SEARCH', message: `\n${snippet}\n${' '.repeat(Math.min(at, 200))}^\nERROR at Row:1:Column:${at + 1}\n${detail}` };
}

/** A search string alone (parameterizedSearch's `q`). */
export function parseSearchString(text: string): Parsed<SearchNode> {
  try {
    const node = parseExpression(lex(charsOf(text, 0)), text.length);
    return { ok: true, value: node };
  } catch (error) {
    if (error instanceof Malformed) return malformed(text, error.at, error.message);
    throw error;
  }
}

const GROUPS: SearchGroup[] = ['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR'];

/** A whole SOSL statement. */
export function parseSosl(sosl: string): Parsed<SoslQuery> {
  try {
    const head = /^\s*FIND\s*\{/i.exec(sosl);
    if (!head) throw new Malformed(0, "mismatched input expecting 'FIND {'");
    // The FIND clause ends at the first unescaped closing brace.
    let i = head[0].length;
    while (i < sosl.length && sosl[i] !== '}') i += sosl[i] === '\\' ? 2 : 1;
    if (i >= sosl.length) throw new Malformed(sosl.length, "mismatched character '<EOF>' expecting '}'");
    const search = parseExpression(lex(charsOf(sosl.slice(head[0].length, i), head[0].length)), i);

    // The rest: words, parentheses, commas and numbers only.
    const rest = sosl.slice(i + 1);
    const tokens: { text: string; at: number }[] = [];
    const pattern = /\s+|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|([(),])|(.)/gy;
    for (let m = pattern.exec(rest); m; m = pattern.exec(rest)) {
      const at = i + 1 + m.index;
      if (m[4] !== undefined) throw new Malformed(at, `unexpected character '${m[4]}'`);
      if (m[1] ?? m[2] ?? m[3]) tokens.push({ text: (m[1] ?? m[2] ?? m[3]) as string, at });
    }
    let k = 0;
    const peek = () => tokens[k];
    const keyword = (word: string) => {
      if (peek()?.text.toUpperCase() !== word) return false;
      k += 1;
      return true;
    };
    const expect = (what: string): never => {
      throw new Malformed(peek()?.at ?? sosl.length, `unexpected token: ${peek()?.text ?? '<EOF>'} (expected ${what})`);
    };
    const number = () => {
      const token = peek();
      if (!token || !/^\d+$/.test(token.text)) return expect('a number');
      k += 1;
      return Number(token.text);
    };

    let group: SearchGroup = 'ALL';
    if (keyword('IN')) {
      const word = peek()?.text.toUpperCase() as SearchGroup | undefined;
      if (!word || !GROUPS.includes(word)) return expect('ALL, NAME, EMAIL, PHONE or SIDEBAR');
      k += 1;
      group = word;
      if (!keyword('FIELDS')) expect('FIELDS');
    }
    const returning: ReturningSpec[] = [];
    if (keyword('RETURNING')) {
      do {
        const object = peek();
        if (!object || !/^[A-Za-z]/.test(object.text)) expect('an object name');
        k += 1;
        const spec: ReturningSpec = { object: object!.text, fields: [] };
        if (peek()?.text === '(') {
          k += 1;
          do {
            const field = peek();
            if (!field || !/^[A-Za-z]/.test(field.text)) expect('a field name');
            spec.fields.push(field!.text);
            k += 1;
          } while (peek()?.text === ',' && ++k);
          if (keyword('LIMIT')) spec.limit = number();
          if (peek()?.text !== ')') expect("')' (the sandbox takes fields and LIMIT in RETURNING, no WHERE or ORDER BY)");
          k += 1;
        }
        returning.push(spec);
      } while (peek()?.text === ',' && ++k);
    }
    const limit = keyword('LIMIT') ? number() : undefined;
    if (peek()) expect('end of search');
    return { ok: true, value: { search, group, returning, limit } };
  } catch (error) {
    if (error instanceof Malformed) return malformed(sosl, error.at, error.message);
    throw error;
  }
}

const splitWords = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function wordMatches(matcher: WordMatcher, word: string): boolean {
  return matcher.kind === 'literal' ? matcher.text === word : matcher.pattern.test(word);
}

/** Whether the words appear side by side, in order, in one of the texts. */
function phraseIn(matchers: WordMatcher[], texts: string[]): boolean {
  if (matchers.length === 0) return false;
  return texts.some((text) => {
    const words = splitWords(text);
    for (let start = 0; start + matchers.length <= words.length; start++) {
      if (matchers.every((matcher, offset) => wordMatches(matcher, words[start + offset]))) return true;
    }
    return false;
  });
}

/** Whether a record whose searched fields hold `texts` satisfies the search. */
export function satisfies(node: SearchNode, texts: string[]): boolean {
  switch (node.kind) {
    case 'words':
      return phraseIn(node.words, texts);
    case 'or':
      return satisfies(node.left, texts) || satisfies(node.right, texts);
    case 'and':
      return satisfies(node.left, texts) && (node.not ? !satisfies(node.right, texts) : satisfies(node.right, texts));
  }
}
