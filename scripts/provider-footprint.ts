// Where each registered provider is named outside its own folders. A provider is meant to be
// lib/providers/<id>/ + tests/sandbox/providers/<id>/ + one line in each registry; this prints
// every other tracked file that names its id (or the id in camelCase, as code names it), so a
// leak into shared code shows up before review does. Exits 1 when a file under lib/, app/ or
// components/ names a provider (tests may name providers in their own cases). With --check it
// prints only those (npm test runs it so).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { providers } from '../lib/providers/registry';

const REGISTRIES = new Set(['lib/providers/registry.ts', 'tests/sandbox/providers/registry.ts']);
const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;
const SHARED = /^(lib|app|components)\//;

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => SOURCE.test(file) && !REGISTRIES.has(file));
const texts = new Map(files.map((file) => [file, readFileSafe(file)]));

const checkOnly = process.argv.includes('--check');
let leaks = 0;
for (const { id } of providers) {
  const camel = id.replace(/-(.)/g, (_, letter: string) => letter.toUpperCase());
  // A host name is not code naming the provider: `github.com` in a source citation does not count.
  const pattern = new RegExp(`(?<![\\w-])(${escape(id)}|${escape(camel)})(?![\\w-]|\\.(?:com|io|dev|net|org)\\b)`);
  const own = [`lib/providers/${id}/`, `tests/sandbox/providers/${id}/`];
  const named = files.filter((file) => !own.some((dir) => file.startsWith(dir)) && pattern.test(texts.get(file) ?? ''));
  const shared = named.filter((file) => SHARED.test(file));
  leaks += shared.length;
  if (checkOnly) {
    for (const file of shared) console.log(`${id}: SHARED ${file}`);
    continue;
  }
  console.log(`${id}: ${named.length === 0 ? 'named nowhere else' : `named in ${named.length} other file(s)`}`);
  for (const file of named) console.log(`  ${SHARED.test(file) ? 'SHARED ' : ''}${file}`);
}
if (leaks > 0) {
  console.error(`\n${leaks} file(s) under lib/, app/ or components/ name a provider: move that code onto the provider's definition.`);
  process.exit(1);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
