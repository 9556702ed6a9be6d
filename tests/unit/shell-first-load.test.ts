// The workspace shell (sidebar, top bar, bell) is on every workspace page's first load, so what it
// imports statically is paid by every page (issue #15). Its menus and drawer load Radix on first
// use (components/ui/deferred-trigger.ts); this walks the shell's static import graph, the way the
// bundler does, so a plain `import` of a heavy menu cannot creep back in unnoticed. Dynamic
// `import()` is what keeps a module out of the first load, so it is not followed.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const SHELL_ENTRY = 'components/shell/app-shell.tsx';

/** Packages a first paint of the shell does not need. */
const DEFERRED_PACKAGES = ['@radix-ui/'];

function staticImports(source: string): string[] {
  // `import … from 'x'`, `export … from 'x'`, `import 'x'`; not `import type` (erased) nor `import('x')`.
  const pattern = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  return [...source.matchAll(pattern)].map((match) => match[1]);
}

function resolveLocal(from: string, specifier: string): string | null {
  const base = specifier.startsWith('@/') ? path.join(ROOT, specifier.slice(2)) : specifier.startsWith('.') ? path.resolve(path.dirname(from), specifier) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (existsSync(candidate) && !candidate.endsWith(path.sep) && /\.tsx?$/.test(candidate)) return candidate;
  }
  return null;
}

/** Every package the entry reaches through static imports, with the file that imports it. */
function reachablePackages(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [path.join(ROOT, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(readFileSync(file, 'utf8'))) {
      const local = resolveLocal(file, specifier);
      if (local) queue.push(local);
      else if (!specifier.startsWith('.') && !specifier.startsWith('@/')) packages.set(specifier, path.relative(ROOT, file));
    }
  }
  return packages;
}

describe('the workspace shell first load', () => {
  it('reaches no Radix module through static imports', () => {
    const packages = reachablePackages(SHELL_ENTRY);
    // The walk itself works: the shell's own always-needed packages are found.
    expect(packages.has('@tanstack/react-query')).toBe(true);
    expect(packages.has('next/link')).toBe(true);
    const heavy = [...packages].filter(([name]) => DEFERRED_PACKAGES.some((prefix) => name.startsWith(prefix)));
    expect(heavy.map(([name, importer]) => `${name} (imported by ${importer})`)).toEqual([]);
  });

  it('does not follow dynamic import(), which is how the menus stay deferred', () => {
    expect(staticImports("const load = () => import('./menu');\nimport { a } from './a';\nimport type { B } from './b';\nexport { c } from './c';")).toEqual(['./a', './c']);
  });
});
