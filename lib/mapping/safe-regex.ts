// User-written regular expressions: the guard that accepts them when a mapping is saved, and the
// engine that runs them.
//
// Engine. Every user pattern runs on RE2 (re2-wasm: Google's RE2 compiled to WebAssembly), never
// on JavaScript's backtracking RegExp. RE2 matches in time linear in the input, so no pattern can
// backtrack. Authors still write JavaScript syntax: the parser below reads it (unicode mode) and
// emits RE2 syntax with JavaScript's meaning ("." excludes \r and \u2028/9, \s is JavaScript's
// whitespace, \uXXXX pairs are one character, $ patterns in replacements follow String#replace).
//
// Guard. Linear is not the same as cheap: RE2's compile time and memory grow with the expanded
// pattern (\p{L}{1,500} would abort the WebAssembly heap) and its lazily built DFA can need a new
// state for every input character (a[ab]{16}c). So a pattern is refused, with a readable message,
// when
//   - this parser does not fully understand it, or a "{" is not a well-formed count ({3}, {2,5},
//     {2,} with at most four digits each, counts up to 1000);
//   - it uses backreferences or lookarounds (RE2 has neither);
//   - a variable repetition contains another, can match empty, or repeats alternatives that can
//     start with the same character ((a+)+, (a?)*, (a|ab)*), or three or more unbounded
//     repetitions compete for the same characters (a.*b.*c). These were the backtracking
//     guard; they stay as a readable first line of defence against patterns that rarely mean
//     what their author intended;
//   - after an open-ended part (.*, x+, or the implicit scan of a pattern without ^) too much of
//     the pattern can be live at once ([a-z]{1000} unanchored), or a part that can restart the
//     match is followed by a long stretch that also matches it (a[ab]{16}, .*a.{12}): RE2's DFA
//     then needs a new state per input character, which this WebAssembly build makes slow;
//   - its estimated compiled size is over REGEX_SIZE.pattern (a mapping's total: REGEX_SIZE.mapping);
//   - RE2 refuses it.
// Inputs are capped (LIMITS.regexInput), and each record has a regex time budget
// (REGEX_RECORD_BUDGET_MS): once spent, its remaining regex steps fail instead of running.
import { createRequire } from 'node:module';
import path from 'node:path';
import { RE2 } from 're2-wasm';
import { LIMITS } from './limits';
import { Failure } from './values';

/**
 * Size budgets, in rough RE2 instructions (a plain character is 1, \p{L} about 3000). Compiling
 * and warming a pattern blocks the event loop about 0.02 ms per unit on a busy machine: a draft
 * mapping at the budget costs its preview request a few hundred milliseconds, once per pattern.
 */
export const REGEX_SIZE = { pattern: 6500, mapping: 10000 } as const;
/** Regex time one record may spend; after that its remaining regex steps fail with regex_budget. */
export const REGEX_RECORD_BUDGET_MS = 25;
/** The most one RE2 search is charged against that budget (see SafeRegex.match). */
const CALL_CHARGE_MS = 10;
/** After an open-ended part, what follows a mandatory "marker" and also matches it: at most this wide. */
const COUNTER_LIMIT = 8;
/**
 * How many pattern positions may be live at once after an open-ended repetition (or the implicit
 * scan of an unanchored pattern). RE2's DFA builds a state from the live positions, and in this
 * WebAssembly build each new state costs tens of microseconds: [a-z]{1000} unanchored took 1.5 s
 * on 1000 characters, .*a.{12}1 160 ms.
 */
const WIDTH_LIMIT = 16;
/** {n,m} compiles to m-n nested optional copies; RE2's compile time grows faster than linearly in them. */
const OPTIONAL_COPIES = 100;

/** An over-approximation of the characters a node can consume: ASCII bitmap + "anything else". */
class CharSet {
  readonly bits = new Uint32Array(4);
  other = false;

  static of(...codes: number[]): CharSet {
    const set = new CharSet();
    for (const code of codes) set.add(code);
    return set;
  }

  static range(from: number, to: number): CharSet {
    return new CharSet().addRange(from, to);
  }

  static all(): CharSet {
    const set = new CharSet().addRange(0, 127);
    set.other = true;
    return set;
  }

  add(code: number): this {
    if (code < 128) this.bits[code >> 5] |= 1 << (code & 31);
    else this.other = true;
    return this;
  }

  addRange(from: number, to: number): this {
    for (let code = from; code <= Math.min(to, 127); code++) this.add(code);
    if (to >= 128) this.other = true;
    return this;
  }

  has(code: number): boolean {
    return code < 128 ? (this.bits[code >> 5] & (1 << (code & 31))) !== 0 : this.other;
  }

  addSet(other: CharSet): this {
    for (let i = 0; i < 4; i++) this.bits[i] |= other.bits[i];
    this.other ||= other.other;
    return this;
  }

  complement(): CharSet {
    const set = new CharSet();
    for (let i = 0; i < 4; i++) set.bits[i] = ~this.bits[i];
    // A negated class matches some non-ASCII character unless it listed them all: assume it does.
    set.other = true;
    return set;
  }

  /** Whether every character of this set is in `other` (for the non-ASCII part: as far as we know). */
  within(other: CharSet): boolean {
    if (this.other && !other.other) return false;
    for (let i = 0; i < 4; i++) if ((this.bits[i] & ~other.bits[i]) !== 0) return false;
    return true;
  }

  overlaps(other: CharSet): boolean {
    if (this.other && other.other) return true;
    for (let i = 0; i < 4; i++) if ((this.bits[i] & other.bits[i]) !== 0) return true;
    return false;
  }

  /** Case-insensitive matching: each letter also matches its other case (and, in unicode mode, ſ/K). */
  foldCase(): this {
    let letters = false;
    for (let upper = 65; upper <= 90; upper++) {
      if (this.has(upper) || this.has(upper + 32)) {
        this.add(upper).add(upper + 32);
        letters = true;
      }
    }
    if (letters) this.other = true;
    return this;
  }
}

const DIGIT = () => CharSet.range(48, 57);
const WORD = () => CharSet.range(48, 57).addRange(65, 90).addRange(97, 122).add(95);
const SPACE = () => {
  const set = CharSet.of(9, 10, 11, 12, 13, 32);
  set.other = true;
  return set;
};
const DOT = () => {
  const set = CharSet.range(0, 127);
  set.bits[0] &= ~((1 << 10) | (1 << 13));
  set.other = true;
  return set;
};

// ---- RE2 syntax for JavaScript meanings --------------------------------------------------------

const hex = (code: number) => `\\x{${code.toString(16)}}`;
/** One code point as RE2 source: letters, digits and _ as themselves, anything else as \x{…}. */
const lit = (code: number) => ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 ? String.fromCharCode(code) : hex(code));
const rangesSource = (ranges: readonly (readonly [number, number])[]) => ranges.map(([from, to]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`)).join('');

/** JavaScript's \s (RE2's own \s is ASCII only and lacks \v). */
const WHITESPACE: [number, number][] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const NOT_WHITESPACE: [number, number][] = [];
{
  let next = 0;
  for (const [from, to] of WHITESPACE) {
    if (from > next) NOT_WHITESPACE.push([next, from - 1]);
    next = to + 1;
  }
  NOT_WHITESPACE.push([next, 0x10ffff]);
}
const WS_ITEMS = rangesSource(WHITESPACE);
const NOT_WS_ITEMS = rangesSource(NOT_WHITESPACE);
/** JavaScript's "." without the s flag: anything but \n, \r, \u2028 and \u2029 (RE2's excludes only \n). */
const DOT_SOURCE = `[^${rangesSource([
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
])}]`;
const ANYTHING = '[\\x{0}-\\x{10ffff}]';
const NOTHING = '[^\\x{0}-\\x{10ffff}]';

/** Long general-category names JavaScript accepts; RE2 knows only the short ones. */
const CATEGORIES = new Map(
  Object.entries({
    Letter: 'L',
    Cased_Letter: 'LC',
    Uppercase_Letter: 'Lu',
    Lowercase_Letter: 'Ll',
    Titlecase_Letter: 'Lt',
    Modifier_Letter: 'Lm',
    Other_Letter: 'Lo',
    Mark: 'M',
    Combining_Mark: 'M',
    Nonspacing_Mark: 'Mn',
    Spacing_Mark: 'Mc',
    Enclosing_Mark: 'Me',
    Number: 'N',
    Decimal_Number: 'Nd',
    digit: 'Nd',
    Letter_Number: 'Nl',
    Other_Number: 'No',
    Punctuation: 'P',
    punct: 'P',
    Connector_Punctuation: 'Pc',
    Dash_Punctuation: 'Pd',
    Open_Punctuation: 'Ps',
    Close_Punctuation: 'Pe',
    Initial_Punctuation: 'Pi',
    Final_Punctuation: 'Pf',
    Other_Punctuation: 'Po',
    Symbol: 'S',
    Math_Symbol: 'Sm',
    Currency_Symbol: 'Sc',
    Modifier_Symbol: 'Sk',
    Other_Symbol: 'So',
    Separator: 'Z',
    Space_Separator: 'Zs',
    Line_Separator: 'Zl',
    Paragraph_Separator: 'Zp',
    Other: 'C',
    Control: 'Cc',
    cntrl: 'Cc',
    Format: 'Cf',
    Surrogate: 'Cs',
    Private_Use: 'Co',
    Unassigned: 'Cn',
  }),
);
const SHORT_CATEGORIES = new Set(CATEGORIES.values());

/** \p{…} as RE2 names it: gc=/sc= prefixes dropped, long category names shortened. */
function propertyName(body: string): string {
  const eq = body.indexOf('=');
  if (eq < 0) return CATEGORIES.get(body) ?? body;
  const key = body.slice(0, eq);
  const value = body.slice(eq + 1);
  if (key === 'General_Category' || key === 'gc') return CATEGORIES.get(value) ?? value;
  if (key === 'Script' || key === 'sc') return value;
  return body; // Script_Extensions and the like: RE2 refuses them with its own message
}

/** Measured in re2-wasm: \p{L} compiles about as slowly as 3000 plain characters, \p{Lu} 2000, a script 150. */
function propertySize(name: string): number {
  if (name === 'Any') return 4;
  if (SHORT_CATEGORIES.has(name)) return 'LCMNPS'.includes(name) ? 3000 : 2000;
  return 150;
}

// ---- Parsing -------------------------------------------------------------------------------------

type Node =
  | { t: 'set'; set: CharSet; size: number; sample?: string }
  | { t: 'assert'; kind: 'start' | 'end' | 'boundary' }
  | { t: 'group'; alts: Node[][] }
  | { t: 'repeat'; body: Node; min: number; max: number };

/** One character-matching unit: what it can match, its RE2 source alone and inside a class. */
interface Piece {
  set: CharSet;
  source: string;
  item: string;
  /** The code point, when it stands for exactly one (class ranges need it). */
  code?: number;
  size: number;
  /** A character it matches, when one is known (see sampleOf). */
  sample?: string;
}

class Unsafe extends Error {}

const HEX = /^[0-9a-fA-F]{1,8}$/;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const HEX2 = /^[0-9a-fA-F]{2}$/;
const TRAIL_ESCAPE = /^\\u[dD][c-fC-F][0-9a-fA-F]{2}$/;

const piece = (set: CharSet, source: string, item: string, size: number, sample?: string): Piece => ({ set, source, item, size, sample });

/** A character each common \p{…} matches (for the warm-up match, see SafeRegex.prepare). */
const PROPERTY_SAMPLES = new Map(
  Object.entries({ Any: 'a', L: 'a', LC: 'a', Lu: 'A', Ll: 'a', N: '0', Nd: '0', P: '!', Po: '!', S: '+', Sm: '+', Z: ' ', Zs: ' ', Latin: 'a', Greek: 'α', Cyrillic: 'ж', Han: '中', Arabic: 'ب', Hebrew: 'א', Hiragana: 'あ', Katakana: 'ア', Common: '0' }),
);
/** Candidates for a character a negated class matches. */
const OUTSIDERS = ['a', '0', ' ', '_', '!', '~', 'x', 'A', 'Z', '9'];

/** A recursive-descent parser for the unicode-mode syntax that also writes the RE2 translation. */
class Parser {
  i = 0;
  /** The RE2 source, written as the pattern is read. */
  readonly out: string[] = [];
  /** Capture groups in order: their names, or undefined. */
  readonly names: (string | undefined)[] = [];
  constructor(
    readonly src: string,
    readonly ignoreCase: boolean,
  ) {}

  parse(): Node[][] {
    const alts = this.disjunction();
    if (this.i < this.src.length) throw new Unsafe(`unexpected "${this.src[this.i]}"`);
    return alts;
  }

  private disjunction(): Node[][] {
    const alts = [this.alternative()];
    while (this.src[this.i] === '|') {
      this.i++;
      this.out.push('|');
      alts.push(this.alternative());
    }
    return alts;
  }

  private alternative(): Node[] {
    const nodes: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      nodes.push(atom.t === 'assert' ? atom : this.quantified(atom));
    }
    return nodes;
  }

  private setNode(p: Piece): Node {
    this.out.push(p.source);
    return { t: 'set', set: this.ignoreCase ? p.set.foldCase() : p.set, size: p.size, sample: p.sample };
  }

  private atom(): Node {
    const src = this.src;
    const c = src[this.i];
    if (c === '^' || c === '$') {
      this.i++;
      this.out.push(c);
      return { t: 'assert', kind: c === '^' ? 'start' : 'end' };
    }
    if (c === '(') return this.group();
    if (c === '[') return this.setNode(this.charClass());
    if (c === '.') {
      this.i++;
      return this.setNode(piece(DOT(), DOT_SOURCE, '', 8, 'a'));
    }
    if (c === '\\') {
      const next = src[this.i + 1];
      if (next === 'b' || next === 'B') {
        this.i += 2;
        this.out.push(`\\${next}`);
        return { t: 'assert', kind: 'boundary' };
      }
      this.i++;
      return this.setNode(this.escape());
    }
    if ('*+?{}]'.includes(c)) throw new Unsafe(`"${c}" has nothing to repeat; write \\${c} for the character itself`);
    const code = src.codePointAt(this.i) as number;
    this.i += code > 0xffff ? 2 : 1;
    return this.setNode(this.literal(code));
  }

  private group(): Node {
    const src = this.src;
    if (src.startsWith('(?=', this.i) || src.startsWith('(?!', this.i) || src.startsWith('(?<=', this.i) || src.startsWith('(?<!', this.i)) {
      throw new Unsafe('lookahead and lookbehind are not supported');
    }
    if (src.startsWith('(?:', this.i)) {
      this.i += 3;
      this.out.push('(?:');
    } else if (src.startsWith('(?<', this.i)) {
      const end = src.indexOf('>', this.i);
      if (end < 0) throw new Unsafe('unclosed group name');
      const name = src.slice(this.i + 3, end);
      this.i = end + 1;
      this.names.push(name);
      this.out.push(`(?P<${name}>`);
    } else if (src.startsWith('(?', this.i)) {
      throw new Unsafe('group modifiers are not supported');
    } else {
      this.i++;
      this.names.push(undefined);
      this.out.push('(');
    }
    const alts = this.disjunction();
    if (src[this.i] !== ')') throw new Unsafe('unclosed group');
    this.i++;
    this.out.push(')');
    return { t: 'group', alts };
  }

  private literal(code: number): Piece {
    if (code >= 0xd800 && code <= 0xdfff) throw new Unsafe('lone surrogates (like \\uD800) are not supported');
    const source = lit(code);
    return { set: CharSet.of(code), source, item: source, code, size: code < 128 ? 1 : 2, sample: String.fromCodePoint(code) };
  }

  /** After the backslash. */
  private escape(): Piece {
    const src = this.src;
    const c = src[this.i++];
    switch (c) {
      case 'd':
        return piece(DIGIT(), '\\d', '\\d', 1, '0');
      case 'D':
        return piece(DIGIT().complement(), '\\D', '\\D', 4, 'a');
      case 'w':
        return piece(WORD(), '\\w', '\\w', 2, 'a');
      case 'W':
        return piece(WORD().complement(), '\\W', '\\W', 4, ' ');
      case 's':
        return piece(SPACE(), `[${WS_ITEMS}]`, WS_ITEMS, 4, ' ');
      case 'S':
        return piece(SPACE().complement(), `[^${WS_ITEMS}]`, NOT_WS_ITEMS, 8, 'a');
      case 'p':
      case 'P': {
        const end = src[this.i] === '{' ? src.indexOf('}', this.i) : -1;
        if (end < 0) throw new Unsafe(`\\${c} needs a property in braces, like \\${c}{L}`);
        const name = propertyName(src.slice(this.i + 1, end));
        this.i = end + 1;
        const text = `\\${c}{${name}}`;
        return piece(CharSet.all(), text, text, propertySize(name), c === 'p' ? PROPERTY_SAMPLES.get(name) : undefined);
      }
      case 'k':
        throw new Unsafe('backreferences are not allowed');
      case 't':
        return this.literal(9);
      case 'n':
        return this.literal(10);
      case 'v':
        return this.literal(11);
      case 'f':
        return this.literal(12);
      case 'r':
        return this.literal(13);
      case '0':
        return this.literal(0);
      case 'b':
        return this.literal(8); // only reachable inside a class: backspace
      case 'c': {
        const letter = src.charCodeAt(this.i++);
        if (Number.isNaN(letter)) throw new Unsafe('\\c needs a letter');
        return this.literal(letter % 32);
      }
      case 'x': {
        const digits = src.slice(this.i, this.i + 2);
        if (!HEX2.test(digits)) throw new Unsafe('\\x needs two hex digits');
        this.i += 2;
        return this.literal(parseInt(digits, 16));
      }
      case 'u':
        return this.literal(this.unicodeEscape());
      case undefined:
        throw new Unsafe('the pattern ends with a backslash');
      default:
        if (c >= '1' && c <= '9') throw new Unsafe('backreferences are not allowed');
        // An identity escape (\. \/ \- …): the character itself.
        return this.literal(c.codePointAt(0) as number);
    }
  }

  /** After "\u": XXXX (a surrogate pair written as two escapes is one character) or {X…}. */
  private unicodeEscape(): number {
    const src = this.src;
    if (src[this.i] === '{') {
      const end = src.indexOf('}', this.i);
      const digits = end < 0 ? '' : src.slice(this.i + 1, end);
      if (!HEX.test(digits)) throw new Unsafe('\\u{…} needs hex digits');
      this.i = end + 1;
      return parseInt(digits, 16);
    }
    const digits = src.slice(this.i, this.i + 4);
    if (!HEX4.test(digits)) throw new Unsafe('\\u needs four hex digits');
    this.i += 4;
    const code = parseInt(digits, 16);
    const trail = src.slice(this.i, this.i + 6);
    if (code >= 0xd800 && code <= 0xdbff && TRAIL_ESCAPE.test(trail)) {
      this.i += 6;
      return 0x10000 + ((code - 0xd800) << 10) + (parseInt(trail.slice(2), 16) - 0xdc00);
    }
    return code;
  }

  private classAtom(): Piece {
    const src = this.src;
    if (src[this.i] === '\\') {
      this.i++;
      return this.escape();
    }
    const code = src.codePointAt(this.i) as number;
    this.i += code > 0xffff ? 2 : 1;
    return this.literal(code);
  }

  private charClass(): Piece {
    const src = this.src;
    this.i++;
    const negated = src[this.i] === '^';
    if (negated) this.i++;
    const set = new CharSet();
    const items: string[] = [];
    let size = 0;
    let first: Piece | undefined;
    while (this.i < src.length && src[this.i] !== ']') {
      const from = this.classAtom();
      first ??= from;
      if (src[this.i] === '-' && src[this.i + 1] !== ']' && this.i + 1 < src.length) {
        this.i++;
        const to = this.classAtom();
        if (from.code !== undefined && to.code !== undefined) {
          if (to.code < from.code) throw new Unsafe('character class range out of order');
          set.addRange(from.code, to.code);
          items.push(`${from.item}-${to.item}`);
          size += to.code < 128 ? 1 : 2;
        } else {
          set.addSet(from.set).addSet(to.set).add(45);
          items.push(from.item, hex(45), to.item);
          size += from.size + to.size + 1;
        }
      } else {
        set.addSet(from.set);
        items.push(from.item);
        size += from.size;
      }
    }
    if (src[this.i] !== ']') throw new Unsafe('unclosed character class');
    this.i++;
    // JavaScript's [] matches nothing and [^] anything; in RE2 syntax "[]" would open a class with "]".
    if (items.length === 0) return negated ? piece(CharSet.all(), ANYTHING, '', 4, 'a') : piece(new CharSet(), NOTHING, '', 4);
    // A member, for the warm-up match: the first item's, or (negated) an ASCII character none of
    // the items can match, even ignoring case.
    const excluded = this.ignoreCase ? new CharSet().addSet(set).foldCase() : set;
    const sample = negated ? OUTSIDERS.find((c) => !excluded.has(c.charCodeAt(0))) : first?.sample;
    return piece(negated ? set.complement() : set, `[${negated ? '^' : ''}${items.join('')}]`, '', size + (negated ? 8 : 0), sample);
  }

  /** A {…} count, read whole: digits, an optional comma and digits, and the closing brace. */
  private count(): [number, number] {
    const src = this.src;
    let j = this.i + 1;
    const digits = () => {
      const from = j;
      while (j < src.length && src[j] >= '0' && src[j] <= '9') j++;
      return src.slice(from, j);
    };
    const low = digits();
    let high = low;
    let open = false;
    if (src[j] === ',') {
      j++;
      high = digits();
      open = high === '';
    }
    if (low === '' || src[j] !== '}') throw new Unsafe('a "{" must start a repetition count like {3}, {2,5} or {2,}; write \\{ for the brace itself');
    if (low.length > 4 || high.length > 4) throw new Unsafe('a repetition count may have at most 4 digits');
    const min = Number(low);
    const max = open ? Infinity : Number(high);
    if (min > 1000 || (max !== Infinity && max > 1000)) throw new Unsafe('repetition counts above 1000 are not allowed');
    if (max < min) throw new Unsafe('repetition counts are out of order');
    if (max !== Infinity && max - min > OPTIONAL_COPIES) {
      throw new Unsafe(`a repetition like {${min},${max}} may allow at most ${OPTIONAL_COPIES} optional copies; use + or * and check the length with a min/max validation`);
    }
    this.i = j;
    return [min, max];
  }

  private quantified(atom: Node): Node {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') [min, max] = this.count();
    else return atom;
    this.i++;
    this.out.push(c === '{' ? `{${min}${max === min ? '' : `,${max === Infinity ? '' : max}`}}` : c);
    if (this.src[this.i] === '?') {
      this.i++; // lazy: the same work as greedy
      this.out.push('?');
    }
    return { t: 'repeat', body: atom, min, max };
  }
}

// ---- Shape analysis ------------------------------------------------------------------------------

const isVariable = (node: Node): boolean => node.t === 'repeat' && node.max !== node.min;

function nullable(node: Node): boolean {
  switch (node.t) {
    case 'set':
      return false;
    case 'assert':
      return true;
    case 'group':
      return node.alts.some((alt) => alt.every(nullable));
    case 'repeat':
      return node.min === 0 || nullable(node.body);
  }
}

function first(node: Node): CharSet {
  switch (node.t) {
    case 'set':
      return node.set;
    case 'assert':
      return new CharSet();
    case 'group': {
      const set = new CharSet();
      for (const alt of node.alts) set.addSet(firstOfSequence(alt));
      return set;
    }
    case 'repeat':
      return first(node.body);
  }
}

function firstOfSequence(nodes: Node[]): CharSet {
  const set = new CharSet();
  for (const node of nodes) {
    set.addSet(first(node));
    if (!nullable(node)) break;
  }
  return set;
}

function allChars(node: Node): CharSet {
  switch (node.t) {
    case 'set':
      return node.set;
    case 'assert':
      return new CharSet();
    case 'group': {
      const set = new CharSet();
      for (const alt of node.alts) for (const n of alt) set.addSet(allChars(n));
      return set;
    }
    case 'repeat':
      return allChars(node.body);
  }
}

function minLength(node: Node): number {
  switch (node.t) {
    case 'set':
      return 1;
    case 'assert':
      return 0;
    case 'group':
      return Math.min(...node.alts.map((alt) => alt.reduce((sum, n) => sum + minLength(n), 0)));
    case 'repeat':
      return node.min * minLength(node.body);
  }
}

/** The most characters (code points) a node can match; Infinity when unbounded. */
function maxLength(node: Node): number {
  switch (node.t) {
    case 'set':
      return 1;
    case 'assert':
      return 0;
    case 'group':
      return Math.max(...node.alts.map((alt) => alt.reduce((sum, n) => sum + maxLength(n), 0)));
    case 'repeat':
      return node.max === 0 ? 0 : node.max * maxLength(node.body);
  }
}

/** A string the node matches, when one is easy to know (for the warm-up match); else undefined. */
function sampleOf(node: Node): string | undefined {
  switch (node.t) {
    case 'set':
      return node.sample;
    case 'assert':
      return '';
    case 'group':
      for (const alt of node.alts) {
        const parts = alt.map(sampleOf);
        if (parts.every((part) => part !== undefined)) return parts.join('');
      }
      return undefined;
    case 'repeat': {
      if (node.min === 0) return '';
      const body = sampleOf(node.body);
      return body === undefined ? undefined : body.repeat(node.min);
    }
  }
}

/**
 * Pattern positions a node holds, as the DFA sees them: a plain character or ASCII class 1, a
 * wider class 2, \p{…} 4; {n,m} holds m copies, x* and x+ one.
 */
function widthOf(node: Node): number {
  switch (node.t) {
    case 'set':
      return node.size <= 2 ? 1 : node.size <= 10 ? 2 : 4;
    case 'assert':
      return 0;
    case 'group':
      return node.alts.reduce((sum, alt) => sum + alt.reduce((s, n) => s + widthOf(n), 0), 0);
    case 'repeat':
      return (node.max === Infinity ? Math.max(node.min, 1) : node.max) * widthOf(node.body);
  }
}

/**
 * Estimated RE2 program size, calibrated on re2-wasm's compile time: x* and x+ hold one copy of x,
 * {n,m} n copies and m-n nested optional ones (which cost about three times as much).
 */
function sizeOf(node: Node): number {
  switch (node.t) {
    case 'set':
      return node.size;
    case 'assert':
      return 1;
    case 'group':
      return node.alts.reduce((sum, alt) => sum + 1 + alt.reduce((s, n) => s + sizeOf(n), 0), 0);
    case 'repeat': {
      const copies = node.max === Infinity ? Math.max(node.min, 1) : node.min + 3 * (node.max - node.min);
      return sizeOf(node.body) * Math.max(copies, 1) + 1;
    }
  }
}

function contains(node: Node, test: (n: Node) => boolean): boolean {
  if (test(node)) return true;
  if (node.t === 'group') return node.alts.some((alt) => alt.some((n) => contains(n, test)));
  if (node.t === 'repeat') return contains(node.body, test);
  return false;
}

/** Rejects the exponential shapes: what repeats must be unambiguous on its own. */
function checkRepetitions(node: Node): void {
  if (node.t === 'group') for (const alt of node.alts) for (const n of alt) checkRepetitions(n);
  if (node.t !== 'repeat') return;
  checkRepetitions(node.body);
  const variableInside = contains(node.body, isVariable);
  if (node.max > 1 && node.max !== node.min) {
    if (variableInside) throw new Unsafe('nested quantifiers (like (a+)+ or (a*b?)*) can take exponential time');
    if (nullable(node.body)) throw new Unsafe('a repeated group that can match nothing can take exponential time');
    const ambiguous = contains(node.body, (n) => {
      if (n.t !== 'group' || n.alts.length < 2) return false;
      const firsts = n.alts.map(firstOfSequence);
      return firsts.some((a, i) => firsts.some((b, j) => j > i && a.overlaps(b)));
    });
    if (ambiguous) throw new Unsafe('repeated alternatives that can start with the same character (like (a|ab)*) can take exponential time');
  } else if (node.max > 16 && variableInside) {
    throw new Unsafe('a large fixed repetition of a quantifier can take very long');
  }
}

/** Unbounded-ish repetitions count; bounded ones ({1,3}) cannot grow with the input. */
const GROWS = 16;

interface Atom {
  set: CharSet;
  /** Pattern positions it holds (see widthOf). */
  width: number;
  /** Characters it must consume (0 = can be skipped). */
  min: number;
  /** How many competing repetitions it holds inside (0 = none). */
  weight: number;
}

function atomsOf(nodes: Node[], out: Atom[] = []): Atom[] {
  for (const node of nodes) {
    if (node.t === 'set') out.push({ set: node.set, width: widthOf(node), min: 1, weight: 0 });
    else if (node.t === 'group') {
      if (node.alts.length === 1) atomsOf(node.alts[0], out);
      else out.push({ set: allChars(node), width: widthOf(node), min: minLength(node), weight: Math.max(...node.alts.map((alt) => chainOf(alt, false))) });
    } else if (node.t === 'repeat') {
      const width = widthOf(node);
      if (node.min === node.max && contains(node.body, isVariable)) {
        for (let k = 0; k < node.min; k++) atomsOf([node.body], out);
      } else if (node.max > GROWS) {
        out.push({ set: allChars(node.body), width, min: node.min * minLength(node.body), weight: 1 });
      } else {
        out.push({ set: allChars(node.body), width, min: node.min * minLength(node.body), weight: chainOf([node.body], false) });
      }
    }
  }
  return out;
}

/**
 * The longest run of growing repetitions that can all compete for the same input: i and j
 * compete when j's characters overlap i's and every mandatory atom between them could be
 * swallowed by i. An unanchored pattern also competes with the engine's scan over start positions.
 *
 * Also refuses what follows a growing atom when it is too wide, or holds a marker followed by a
 * long stretch that also matches the marker (see WIDTH_LIMIT and COUNTER_LIMIT).
 */
function chainOf(nodes: Node[], unanchored: boolean): number {
  const atoms = atomsOf(nodes);
  if (unanchored) atoms.unshift({ set: CharSet.all(), width: 0, min: 0, weight: 1 });
  const chain: number[] = new Array(atoms.length).fill(0);
  const reachable = (i: number, j: number) => {
    for (let k = i + 1; k < j; k++) if (atoms[k].min > 0 && !atoms[k].set.overlaps(atoms[i].set)) return false;
    return true;
  };
  for (let i = 0; i < atoms.length; i++) {
    if (atoms[i].weight === 0) continue;
    let end = i + 1;
    while (end < atoms.length && reachable(i, end)) end++;
    const region = atoms.slice(i + 1, end);
    const width = region.reduce((sum, a) => sum + a.width, 0);
    if (width > WIDTH_LIMIT) {
      throw new Unsafe(
        `after an open-ended part (like .* or +, or the start of a pattern without ^) at most ${WIDTH_LIMIT} characters' worth of pattern can be matching at once, and this has ${width}; anchor the pattern with ^, or shorten what follows`,
      );
    }
    // A mandatory "marker" followed by positions that also take other characters (a[ab]{8},
    // a.{7}): each marker seen in the last few characters may have started a match, and the
    // DFA needs a state for every combination of them.
    region.forEach((marker, k) => {
      if (marker.min === 0) return;
      let tail = 0;
      for (const later of region.slice(k + 1)) if (later.set.overlaps(marker.set) && !later.set.within(marker.set)) tail += later.width;
      if (tail > COUNTER_LIMIT) {
        throw new Unsafe(
          `a part that can restart the match (like the a in a[ab]{9} or a.{9}) is followed by ${tail} characters' worth of pattern that also match it; the matcher would need a state for every combination: anchor the pattern with ^, or keep that part to ${COUNTER_LIMIT}`,
        );
      }
    });
  }
  let best = 0;
  for (let j = 0; j < atoms.length; j++) {
    if (atoms[j].weight === 0) continue;
    let before = 0;
    for (let i = 0; i < j; i++) {
      if (chain[i] === 0 || !atoms[i].set.overlaps(atoms[j].set)) continue;
      if (reachable(i, j)) before = Math.max(before, chain[i]);
    }
    chain[j] = atoms[j].weight + before;
    best = Math.max(best, chain[j]);
  }
  return best;
}

// ---- The check ---------------------------------------------------------------------------------

export type RegexCheck = { ok: true } | { ok: false; message: string };

export interface RegexOptions {
  ignoreCase?: boolean;
}

type Analysis =
  | { ok: true; source: string; names: (string | undefined)[]; size: number; longest: number; sample: string | undefined }
  | { ok: false; message: string };

function analyze(pattern: string, ignoreCase: boolean): Analysis {
  if (typeof pattern !== 'string' || pattern.length === 0) return { ok: false, message: 'regular expression is empty' };
  if (pattern.length > LIMITS.regexPattern) return { ok: false, message: `regular expression is longer than ${LIMITS.regexPattern} characters` };
  try {
    // Only parsed here, never run: the syntax errors authors know, in JavaScript's words.
    new RegExp(pattern, ignoreCase ? 'iu' : 'u');
  } catch (error) {
    return { ok: false, message: `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}` };
  }
  try {
    const parser = new Parser(pattern, ignoreCase);
    const alts = parser.parse();
    for (const alt of alts) for (const node of alt) checkRepetitions(node);
    for (const alt of alts) {
      const anchored = alt[0]?.t === 'assert' && alt[0].kind === 'start';
      if (chainOf(alt, !anchored) >= 3) {
        return { ok: false, message: 'too many competing repetitions (like a.*b.*c): matching can take very long; anchor the pattern with ^ or make the parts distinct' };
      }
    }
    const size = sizeOf({ t: 'group', alts });
    if (size > REGEX_SIZE.pattern) {
      return {
        ok: false,
        message: `regular expression is too large once compiled (about ${size} steps, at most ${REGEX_SIZE.pattern}): use fewer or smaller repetition counts and \\p{…} classes`,
      };
    }
    const whole: Node = { t: 'group', alts };
    return { ok: true, source: parser.out.join(''), names: parser.names, size, longest: maxLength(whole), sample: sampleOf(whole) };
  } catch (error) {
    if (error instanceof Unsafe) return { ok: false, message: `unsafe regular expression: ${error.message}` };
    return { ok: false, message: 'unsupported regular expression' };
  }
}

/** Patterns RE2 accepted (or refused), so a re-check does not compile again. Bounded. */
const verdicts = new Map<string, string | true>();

function verdict(key: string, source: string, ignoreCase: boolean): string | true {
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  let result: string | true;
  try {
    compiled(key, source, ignoreCase);
    result = true;
  } catch (error) {
    if (!(error instanceof Refused)) return 'the regular expression engine is unavailable; try again';
    result = `the regular expression engine (RE2) does not support this pattern: ${error.message}`;
  }
  if (verdicts.size >= 2000) verdicts.clear();
  verdicts.set(key, result);
  return result;
}

const keyOf = (source: string, ignoreCase: boolean) => `${ignoreCase ? 'i' : '-'}/${source}`;

export function checkRegex(pattern: string, options: RegexOptions = {}): RegexCheck {
  const ignoreCase = options.ignoreCase === true;
  const analysis = analyze(pattern, ignoreCase);
  if (!analysis.ok) return analysis;
  const accepted = verdict(keyOf(analysis.source, ignoreCase), analysis.source, ignoreCase);
  return accepted === true ? { ok: true } : { ok: false, message: accepted };
}

/** The estimated compiled size of a pattern checkRegex accepts (for a mapping's total), else undefined. */
export function regexSize(pattern: string, options: RegexOptions = {}): number | undefined {
  const analysis = analyze(pattern, options.ignoreCase === true);
  return analysis.ok ? analysis.size : undefined;
}

// ---- The engine ----------------------------------------------------------------------------------

/** re2-wasm's compiled object (an Embind handle over C++ RE2): it must be deleted to free its memory. */
interface Wrapped {
  ok(): boolean;
  error(): string;
  match(input: string, start: number, withGroups: boolean): { index: number; match: string; groups: (string | undefined)[] };
  delete(): void;
}
type WrappedClass = new (pattern: string, ignoreCase: boolean, multiline: boolean, dotAll: boolean) => Wrapped;

/** The engine failed (its WebAssembly heap aborted, and reloading did not help). */
class EngineFailure extends Error {}
/** RE2 refused the pattern (its message says why). */
class Refused extends Error {}
/** The record's regex time budget is spent. */
class BudgetSpent extends Error {}

/** The WrappedRE2 class of a loaded re2-wasm. Its RE2 wrapper re-translates syntax we already emit. */
function wrappedClassOf(re2: typeof RE2): WrappedClass {
  const probe = (new re2('a', 'u') as unknown as { wrapper: Wrapped }).wrapper;
  const wrappedClass = Object.getPrototypeOf(probe).constructor as WrappedClass;
  probe.delete();
  return wrappedClass;
}

let engine: WrappedClass | undefined = wrappedClassOf(RE2);
/** Bumped when the WebAssembly module is replaced: objects from an older one must not be touched. */
let generation = 0;

/**
 * re2-wasm's heap is a fixed 16 MB and cannot grow; running out aborts the module for good. Load a
 * fresh copy instead (Node's module cache holds the aborted one), dropping every compiled object.
 */
function reloadEngine(cause: unknown): void {
  generation++;
  cache.clear();
  console.warn(`regex engine: re2-wasm failed (${cause instanceof Error ? cause.name : typeof cause}); loading a fresh instance`);
  try {
    const load = createRequire(path.join(process.cwd(), 'package.json'));
    for (const id of ['re2-wasm', 're2-wasm/build/wasm/re2.js']) delete load.cache[load.resolve(id)];
    engine = wrappedClassOf((load('re2-wasm') as { RE2: typeof RE2 }).RE2);
  } catch {
    engine = undefined;
  }
}

interface Compiled {
  wrapper: Wrapped | undefined;
  generation: number;
  /** Whether it has matched once (so RE2's lazily compiled parts exist). */
  warm: boolean;
}

/** Compiled patterns, least recently used first. Each holds RE2 memory (its DFA grows with use). */
const cache = new Map<string, Compiled>();
const CACHE_SIZE = 32;

function compiled(key: string, source: string, ignoreCase: boolean): Compiled {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const build = () => {
    if (!engine) throw new EngineFailure('re2-wasm could not be loaded');
    return new engine(source, ignoreCase, false, false);
  };
  let wrapper: Wrapped;
  try {
    wrapper = build();
  } catch (error) {
    reloadEngine(error);
    try {
      wrapper = build();
    } catch (again) {
      reloadEngine(again);
      throw new EngineFailure('the regular expression engine failed');
    }
  }
  if (!wrapper.ok()) {
    const message = wrapper.error();
    wrapper.delete();
    throw new Refused(message);
  }
  const entry: Compiled = { wrapper, generation, warm: false };
  cache.set(key, entry);
  if (cache.size > CACHE_SIZE) {
    const [oldest, old] = cache.entries().next().value as [string, Compiled];
    cache.delete(oldest);
    if (old.generation === generation) old.wrapper?.delete();
    old.wrapper = undefined;
  }
  return entry;
}

// The per-record time budget. applyMapping resets it for each record; a queued microtask also
// resets it once the current synchronous run ends, so callers that never reset are not starved.
let spent = 0;
let resetQueued = false;

export function resetRegexBudget(): void {
  spent = 0;
}

function charge(ms: number): void {
  spent += ms;
  if (!resetQueued) {
    resetQueued = true;
    queueMicrotask(() => {
      resetQueued = false;
      spent = 0;
    });
  }
}

/** The text RE2 sees: lone surrogates (not UTF-8) become U+FFFD, which keeps every UTF-16 offset. */
interface Prepared {
  text: string;
  /** UTF-16 offset of each code point offset, when they differ (astral characters). */
  units?: Int32Array;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;

function prepare(text: string): Prepared {
  if (!SURROGATE.test(text)) return { text };
  const clean = text.replace(LONE_SURROGATE, '\uFFFD');
  const units: number[] = [];
  for (let i = 0; i < clean.length; i++) {
    units.push(i);
    const code = clean.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) i++;
  }
  units.push(clean.length);
  return { text: clean, units: Int32Array.from(units) };
}

/** JavaScript's replacement patterns: $$, $&, $`, $', $1…$99 and $<name>. */
function expand(template: string, text: string, start: number, end: number, groups: readonly (string | undefined)[], names: readonly (string | undefined)[]): string {
  let out = '';
  const count = groups.length;
  const named = names.some((name) => name !== undefined);
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    const next = template[i + 1];
    if (c !== '$' || next === undefined) {
      out += c;
    } else if (next === '$') {
      out += '$';
      i++;
    } else if (next === '&') {
      out += text.slice(start, end);
      i++;
    } else if (next === '`') {
      out += text.slice(0, start);
      i++;
    } else if (next === "'") {
      out += text.slice(end);
      i++;
    } else if (next >= '0' && next <= '9') {
      const after = template[i + 2];
      const two = after !== undefined && after >= '0' && after <= '9' ? Number(next + after) : 0;
      const one = Number(next);
      if (two >= 1 && two <= count) {
        out += groups[two - 1] ?? '';
        i += 2;
      } else if (one >= 1 && one <= count) {
        out += groups[one - 1] ?? '';
        i++;
      } else {
        out += '$';
      }
    } else if (next === '<' && named && template.indexOf('>', i + 2) >= 0) {
      const close = template.indexOf('>', i + 2);
      const index = names.indexOf(template.slice(i + 2, close));
      out += index >= 0 ? (groups[index] ?? '') : '';
      i = close;
    } else {
      out += '$';
    }
  }
  return out;
}

/** A replacement that may refer to a capture group ($1…$99, $01, $<name>): only then are groups fetched. */
const GROUP_REFERENCE = /\$[\d<]/;
const NO_GROUPS: readonly (string | undefined)[] = [];

/** Characters searched per window beyond the longest match (see SafeRegex.replace). */
const WINDOW_SLACK = 64;

const budgetFailure = () => new Failure('regex_budget', `regular expressions used up this record's time budget (${REGEX_RECORD_BUDGET_MS} ms)`);
const engineFailure = () => new Failure('regex_unavailable', 'the regular expression engine is unavailable');

/** A compiled user pattern. Compiles on first use; survives eviction and engine reloads. */
export class SafeRegex {
  private entry: Compiled | undefined;
  private readonly key: string;
  /** Time in the current run that was compiling, not matching: not charged to the record. */
  private excused = 0;

  constructor(
    readonly source: string,
    readonly ignoreCase: boolean,
    private readonly names: readonly (string | undefined)[],
    /** The longest match, in code points (Infinity when unbounded): lets replace search in windows. */
    private readonly longest = Infinity,
    /** A string the pattern probably matches, for the warm-up match; undefined when unknown. */
    private readonly sample?: string,
  ) {
    this.key = keyOf(source, ignoreCase);
  }

  /**
   * The compiled pattern: compiled (again, after an eviction or a reload) when needed, and warmed
   * with one match on the sample, since RE2 compiles its reverse program (which finds where a
   * match starts) only at the first match, and that costs as much as the compile.
   */
  private wrapper(): Wrapped {
    const entry = this.entry;
    if (entry !== undefined && entry.wrapper !== undefined && entry.generation === generation) return entry.wrapper;
    const started = performance.now();
    const fresh = compiled(this.key, this.source, this.ignoreCase);
    this.entry = fresh;
    const wrapper = fresh.wrapper as Wrapped;
    if (!fresh.warm && this.sample !== undefined) {
      try {
        if (wrapper.match(this.sample, 0, false).index >= 0) fresh.warm = true;
      } catch {
        // an engine failure shows again at the real match, which handles it
      }
    }
    this.excused += performance.now() - started;
    return wrapper;
  }

  /**
   * One RE2 search. The first that succeeds on a cold pattern is compile time, not charged; any
   * other is charged at most CALL_CHARGE_MS (a garbage-collection pause or the OS scheduling
   * another process must not fail a record; the guard's rules keep a genuine search far shorter).
   */
  private match(wrapper: Wrapped, text: string, start: number, withGroups: boolean) {
    const entry = this.entry as Compiled;
    const started = performance.now();
    const found = wrapper.match(text, start, withGroups);
    const took = performance.now() - started;
    if (!entry.warm && found.index >= 0) {
      entry.warm = true;
      this.excused += took;
    } else if (took > CALL_CHARGE_MS) {
      this.excused += took - CALL_CHARGE_MS;
    }
    return found;
  }

  /** Runs `work` on the compiled pattern within the budget; a failed engine is reloaded once. */
  private run<T>(work: (wrapper: Wrapped, elapsed: () => number) => T): T | Failure {
    if (spent > REGEX_RECORD_BUDGET_MS) return budgetFailure();
    const started = performance.now();
    this.excused = 0;
    const elapsed = () => performance.now() - started - this.excused;
    try {
      try {
        return work(this.wrapper(), elapsed);
      } catch (error) {
        if (error instanceof BudgetSpent || error instanceof EngineFailure || error instanceof Refused) throw error;
        reloadEngine(error);
        return work(this.wrapper(), elapsed);
      }
    } catch (error) {
      if (error instanceof BudgetSpent) return budgetFailure();
      if (!(error instanceof EngineFailure || error instanceof Refused)) reloadEngine(error);
      return engineFailure();
    } finally {
      charge(elapsed());
    }
  }

  /** Compiles (and warms) now if it can; a failure here shows again, per record, on use. */
  prepare(): void {
    try {
      this.wrapper();
    } catch {
      // EngineFailure or Refused: reported by run() when the pattern is used
    }
  }

  /** Whether the pattern matches somewhere in `text`. */
  test(text: string): boolean | Failure {
    const input = prepare(text);
    return this.run((wrapper) => this.match(wrapper, input.text, 0, false).index >= 0);
  }

  /**
   * String#replace with this pattern: the first match or all of them; `replacement` uses
   * JavaScript's $ patterns unless `literal`.
   */
  replace(text: string, replacement: string, all: boolean, literal = false): string | Failure {
    const input = prepare(text);
    const units = input.units;
    const length = units ? units.length - 1 : text.length;
    const dollar = !literal && replacement.includes('$');
    const withGroups = dollar && GROUP_REFERENCE.test(replacement);
    return this.run((wrapper, elapsed) => {
      let out = '';
      let last = 0;
      let from = 0; // in code points, as RE2 counts
      while (from <= length) {
        // RE2 is handed the text from one character before `from`: that character keeps \b
        // right, and ^ cannot match after the true start. Re-sending (and RE2 walking) the whole
        // text for every match made a replace-all on 1000 characters several times slower. When
        // matches are at most `longest` long, only a window is sent: a match found at least
        // `longest` before the window's end is the one the whole text gives (every match from
        // there or earlier fits inside, clear of the cut); otherwise the window had none.
        const base = from === 0 ? 0 : from - 1;
        const baseUnit = units ? units[base] : base;
        const windowEnd = from + this.longest + WINDOW_SLACK;
        const cut = windowEnd < length;
        const endUnit = cut ? (units ? units[windowEnd] : windowEnd) : input.text.length;
        const found = this.match(wrapper, baseUnit === 0 && !cut ? input.text : input.text.slice(baseUnit, endUnit), from - base, withGroups);
        if (cut && (found.index < 0 || base + found.index + this.longest >= windowEnd)) {
          from = windowEnd - this.longest;
          continue;
        }
        if (found.index < 0) break;
        const point = base + found.index;
        const start = units ? units[point] : point;
        const end = start + found.match.length;
        out += text.slice(last, start) + (dollar ? expand(replacement, text, start, end, withGroups ? found.groups : NO_GROUPS, this.names) : replacement);
        last = end;
        if (!all) break;
        const endPoint = units ? units.indexOf(end, point) : end;
        // After an empty match, search on from the next character, as JavaScript does.
        from = end === start ? endPoint + 1 : endPoint;
        if (spent + elapsed() > REGEX_RECORD_BUDGET_MS) throw new BudgetSpent();
      }
      return out + text.slice(last);
    });
  }
}

/** Compiles a pattern that passed checkRegex; throws otherwise (a programming error). */
export function compileSafeRegex(pattern: string, options: RegexOptions = {}): SafeRegex {
  const ignoreCase = options.ignoreCase === true;
  const check = checkRegex(pattern, { ignoreCase });
  if (!check.ok) throw new Error(check.message);
  const analysis = analyze(pattern, ignoreCase) as Extract<Analysis, { ok: true }>;
  const regex = new SafeRegex(analysis.source, ignoreCase, analysis.names, analysis.longest, analysis.sample);
  regex.prepare(); // compiled with the mapping, so a record never waits for it (unless evicted since)
  return regex;
}
