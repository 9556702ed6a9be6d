// The guard for user-written regular expressions. JavaScript's engine backtracks, so a pattern
// like (a+)+ or .*a.*b.*c can take exponential or high-polynomial time on a crafted string. We
// accept a conservative subset: the pattern is parsed (in unicode mode), then rejected when
//   - it uses backreferences or lookarounds (not needed for field checks, hard to bound);
//   - a variable repetition contains another variable repetition ((a+)+, (.*)*, (a?b)*);
//   - a variable repetition can match empty, or contains alternatives that can start with the
//     same character ((a|a)*, (\w|\d)+): each gives the engine many ways to split one input;
//   - three or more unbounded repetitions can compete for the same characters in sequence
//     (counting the implicit "try every start position" of an unanchored pattern), which makes
//     matching at least cubic in the input length.
// What remains is at worst quadratic, and regexes only ever run on capped input (LIMITS.regexInput).
import { LIMITS } from './limits';

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

type Node =
  | { t: 'set'; set: CharSet }
  | { t: 'assert'; kind: 'start' | 'end' | 'boundary' }
  | { t: 'group'; alts: Node[][] }
  | { t: 'repeat'; body: Node; min: number; max: number };

class Unsafe extends Error {}

const HEX = /^[0-9a-fA-F]+$/;

/** A recursive-descent parser for the unicode-mode syntax (already validated by RegExp itself). */
class Parser {
  i = 0;
  /** The code point the last escape stood for, when it stood for exactly one (class ranges need it). */
  private lastCode: number | undefined;
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

  private set(set: CharSet): Node {
    return { t: 'set', set: this.ignoreCase ? set.foldCase() : set };
  }

  private atom(): Node {
    const src = this.src;
    const c = src[this.i];
    if (c === '^' || c === '$') {
      this.i++;
      return { t: 'assert', kind: c === '^' ? 'start' : 'end' };
    }
    if (c === '(') {
      if (src.startsWith('(?=', this.i) || src.startsWith('(?!', this.i) || src.startsWith('(?<=', this.i) || src.startsWith('(?<!', this.i)) {
        throw new Unsafe('lookahead and lookbehind are not supported');
      }
      if (src.startsWith('(?:', this.i)) this.i += 3;
      else if (src.startsWith('(?<', this.i)) this.i = src.indexOf('>', this.i) + 1;
      else if (src.startsWith('(?', this.i)) throw new Unsafe('group modifiers are not supported');
      else this.i++;
      const alts = this.disjunction();
      if (src[this.i] !== ')') throw new Unsafe('unclosed group');
      this.i++;
      return { t: 'group', alts };
    }
    if (c === '[') return this.set(this.charClass());
    if (c === '.') {
      this.i++;
      return this.set(DOT());
    }
    if (c === '\\') {
      const next = src[this.i + 1];
      if (next === 'b' || next === 'B') {
        this.i += 2;
        return { t: 'assert', kind: 'boundary' };
      }
      this.i++;
      return this.set(this.escape(false));
    }
    const code = src.codePointAt(this.i) as number;
    this.i += code > 0xffff ? 2 : 1;
    return this.set(CharSet.of(code));
  }

  /** After the backslash. Returns the set the escape matches. */
  private escape(inClass: boolean): CharSet {
    this.lastCode = undefined;
    return this.escapeSet(inClass);
  }

  private one(code: number): CharSet {
    this.lastCode = code;
    return CharSet.of(code);
  }

  private escapeSet(inClass: boolean): CharSet {
    const src = this.src;
    const c = src[this.i++];
    switch (c) {
      case 'd':
        return DIGIT();
      case 'D':
        return DIGIT().complement();
      case 'w':
        return WORD();
      case 'W':
        return WORD().complement();
      case 's':
        return SPACE();
      case 'S':
        return SPACE().complement();
      case 'p':
      case 'P':
        this.i = src.indexOf('}', this.i) + 1;
        return CharSet.all();
      case 'k':
        throw new Unsafe('backreferences are not allowed');
      case 't':
        return this.one(9);
      case 'n':
        return this.one(10);
      case 'v':
        return this.one(11);
      case 'f':
        return this.one(12);
      case 'r':
        return this.one(13);
      case '0':
        return this.one(0);
      case 'b':
        return this.one(8); // only reachable inside a class: backspace
      case 'c':
        return this.one(src.charCodeAt(this.i++) % 32);
      case 'x': {
        const hex = src.slice(this.i, this.i + 2);
        this.i += 2;
        return this.one(parseInt(hex, 16));
      }
      case 'u': {
        if (src[this.i] === '{') {
          const end = src.indexOf('}', this.i);
          const hex = src.slice(this.i + 1, end);
          this.i = end + 1;
          return this.one(HEX.test(hex) ? parseInt(hex, 16) : 0xffff);
        }
        const hex = src.slice(this.i, this.i + 4);
        this.i += 4;
        return this.one(parseInt(hex, 16));
      }
      default:
        if (c >= '1' && c <= '9') {
          if (inClass) throw new Unsafe(`"\\${c}" is not allowed`);
          throw new Unsafe('backreferences are not allowed');
        }
        return this.one(c.codePointAt(0) as number);
    }
  }

  private classAtom(): { set: CharSet; code?: number } {
    const src = this.src;
    if (src[this.i] === '\\') {
      this.i++;
      const set = this.escape(true);
      return { set, code: this.lastCode };
    }
    const code = src.codePointAt(this.i) as number;
    this.i += code > 0xffff ? 2 : 1;
    return { set: CharSet.of(code), code };
  }

  private charClass(): CharSet {
    const src = this.src;
    this.i++;
    const negated = src[this.i] === '^';
    if (negated) this.i++;
    const set = new CharSet();
    while (this.i < src.length && src[this.i] !== ']') {
      const from = this.classAtom();
      if (src[this.i] === '-' && src[this.i + 1] !== ']' && this.i + 1 < src.length) {
        this.i++;
        const to = this.classAtom();
        if (from.code !== undefined && to.code !== undefined) set.addRange(from.code, to.code);
        else set.addSet(from.set).addSet(to.set).add(45);
      } else {
        set.addSet(from.set);
      }
    }
    if (src[this.i] !== ']') throw new Unsafe('unclosed character class');
    this.i++;
    return negated ? set.complement() : set;
  }

  private quantified(atom: Node): Node {
    const src = this.src;
    const c = src[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(this.i, this.i + 24));
      if (!match) return atom;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      if (min > 1000 || (max !== Infinity && max > 1000)) throw new Unsafe('repetition counts above 1000 are not allowed');
      this.i += match[0].length - 1;
    } else return atom;
    this.i++;
    if (src[this.i] === '?') this.i++; // lazy: same worst case as greedy
    return { t: 'repeat', body: atom, min, max };
  }
}

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
  /** Characters it must consume (0 = can be skipped). */
  min: number;
  /** How many competing repetitions it holds inside (0 = none). */
  weight: number;
}

function atomsOf(nodes: Node[], out: Atom[] = []): Atom[] {
  for (const node of nodes) {
    if (node.t === 'set') out.push({ set: node.set, min: 1, weight: 0 });
    else if (node.t === 'group') {
      if (node.alts.length === 1) atomsOf(node.alts[0], out);
      else out.push({ set: allChars(node), min: minLength(node), weight: Math.max(...node.alts.map((alt) => chainOf(alt, false))) });
    } else if (node.t === 'repeat') {
      if (node.min === node.max && contains(node.body, isVariable)) {
        for (let k = 0; k < node.min; k++) atomsOf([node.body], out);
      } else if (node.max > GROWS) {
        out.push({ set: allChars(node.body), min: node.min * minLength(node.body), weight: 1 });
      } else {
        out.push({ set: allChars(node.body), min: node.min * minLength(node.body), weight: chainOf([node.body], false) });
      }
    }
  }
  return out;
}

/**
 * The longest run of growing repetitions that can all compete for the same input: i and j
 * compete when j's characters overlap i's and every mandatory atom between them could be
 * swallowed by i. An unanchored pattern also competes with the engine's scan over start positions.
 */
function chainOf(nodes: Node[], unanchored: boolean): number {
  const atoms = atomsOf(nodes);
  if (unanchored) atoms.unshift({ set: CharSet.all(), min: 0, weight: 1 });
  const chain: number[] = new Array(atoms.length).fill(0);
  let best = 0;
  for (let j = 0; j < atoms.length; j++) {
    if (atoms[j].weight === 0) continue;
    let before = 0;
    for (let i = 0; i < j; i++) {
      if (chain[i] === 0 || !atoms[i].set.overlaps(atoms[j].set)) continue;
      let reachable = true;
      for (let k = i + 1; k < j && reachable; k++) if (atoms[k].min > 0 && !atoms[k].set.overlaps(atoms[i].set)) reachable = false;
      if (reachable) before = Math.max(before, chain[i]);
    }
    chain[j] = atoms[j].weight + before;
    best = Math.max(best, chain[j]);
  }
  return best;
}

export type RegexCheck = { ok: true } | { ok: false; message: string };

export interface RegexOptions {
  ignoreCase?: boolean;
}

export function checkRegex(pattern: string, options: RegexOptions = {}): RegexCheck {
  if (typeof pattern !== 'string' || pattern.length === 0) return { ok: false, message: 'regular expression is empty' };
  if (pattern.length > LIMITS.regexPattern) return { ok: false, message: `regular expression is longer than ${LIMITS.regexPattern} characters` };
  try {
    new RegExp(pattern, options.ignoreCase ? 'iu' : 'u');
  } catch (error) {
    return { ok: false, message: `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}` };
  }
  try {
    const alts = new Parser(pattern, options.ignoreCase === true).parse();
    for (const alt of alts) for (const node of alt) checkRepetitions(node);
    for (const alt of alts) {
      const anchored = alt[0]?.t === 'assert' && alt[0].kind === 'start';
      if (chainOf(alt, !anchored) >= 3) {
        return { ok: false, message: 'too many competing repetitions (like a.*b.*c): matching can take very long; anchor the pattern with ^ or make the parts distinct' };
      }
    }
  } catch (error) {
    if (error instanceof Unsafe) return { ok: false, message: `unsafe regular expression: ${error.message}` };
    return { ok: false, message: 'unsupported regular expression' };
  }
  return { ok: true };
}

/** Compiles a pattern that passed checkRegex; throws otherwise (a programming error). */
export function compileSafeRegex(pattern: string, options: RegexOptions & { global?: boolean } = {}): RegExp {
  const check = checkRegex(pattern, options);
  if (!check.ok) throw new Error(check.message);
  return new RegExp(pattern, `${options.global ? 'g' : ''}${options.ignoreCase ? 'i' : ''}u`);
}
