// What the GitHub sandbox keeps besides its datasets: repository webhooks, issue comments and the
// primary rate-limit counter. Forgotten when the sandbox resets (a new stats object).
import type { SandboxState } from '../../state';

export interface Hook {
  id: number;
  account: string;
  /** The repository's full name. */
  repo: string;
  url: string;
  secret: string | undefined;
  events: string[];
  active: boolean;
  createdAt: number;
  deleted: boolean;
}

export interface Comment {
  id: number;
  account: string;
  repo: string;
  number: number;
  body: string;
  login: string;
  createdAt: number;
}

interface Book {
  generation: object;
  hooks: Map<number, Hook>;
  comments: Comment[];
  /** Primary rate limit: requests spent (a 304 spends none). */
  used: number;
  serial: number;
}
const BOOKS = new WeakMap<SandboxState, Book>();

export function bookOf(state: SandboxState): Book {
  let book = BOOKS.get(state);
  if (!book || book.generation !== state.stats) {
    book = { generation: state.stats, hooks: new Map(), comments: [], used: 0, serial: 0 };
    BOOKS.set(state, book);
  }
  return book;
}
