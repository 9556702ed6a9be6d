// First-load JavaScript per app route, gzipped, against a budget (issue #15). Next 16 no longer
// prints "First Load JS" after `next build`, so this recomputes it from the build's manifests the
// way Next's own diagnostics/route-bundle-stats.json does (node_modules/next/dist/build/
// route-bundle-stats.js): a route's first visit loads the root main files (React, the Next runtime,
// Turbopack's runtime) plus every entry chunk of its page and of the layouts, not-found and error
// boundaries above it (`entryJSFiles` in server/app/<page>_client-reference-manifest.js). Polyfill
// files are left out: they are `nomodule` scripts that modern browsers never fetch. Chunks a page
// pulls in later through `React.lazy`/`import()` are not first load, which is the point of
// deferring them. Checked against Chromium (tests/e2e/bundle-budget.spec.ts): the figure is 2–3 KB
// above what a first visit fetches, the not-found boundary's chunk, which Next counts too.
//
// Sizes are gzip level 9 (what Next's old build output used, via gzip-size); `next start` sends
// level 6, about 0.4% larger. KB = 1,024 bytes.
//
//   npx tsx scripts/bundle-budget.ts            # reads $NEXT_DIST_DIR, or .next
//   npx tsx scripts/bundle-budget.ts --dir <d>  # any other build directory
//   npx tsx scripts/bundle-budget.ts --json     # the same figures as JSON
//
// Exits 1 naming each route over the budget, 2 when the build directory cannot be read.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Issue #15: every route's first-load JS stays under 200 KB gzipped; `npm test` fails above it. */
export const BUDGET_KB = 200;
export const KB = 1024;
export const GZIP_LEVEL = 9;

export interface RouteChunks {
  route: string;
  chunks: string[];
  /** For each chunk, the first segment (layout, page, boundary) whose entry needs it. */
  segmentOf?: Record<string, string>;
}

export interface ChunkInfo {
  file: string;
  gzipBytes: number;
  /** One of the root main files every route loads. */
  root: boolean;
  /** Client modules whose loading needs this chunk (from the client reference manifests), for the table. */
  label: string;
}

export interface RouteSize {
  route: string;
  gzipBytes: number;
  chunks: ChunkInfo[];
}

interface ClientReferenceEntry {
  clientModules?: Record<string, { chunks?: string[] }>;
  entryJSFiles?: Record<string, string[]>;
}

/**
 * The manifest is a script that assigns JSON to a global; it is read as data (never executed) so a
 * build directory cannot run code in this process.
 */
export function parseClientReferenceManifest(source: string): Record<string, ClientReferenceEntry> {
  const entries: Record<string, ClientReferenceEntry> = {};
  const assignment = /globalThis\.__RSC_MANIFEST\[("(?:[^"\\]|\\.)*")\]\s*=\s*/g;
  let match: RegExpExecArray | null;
  while ((match = assignment.exec(source)) !== null) {
    const key = JSON.parse(match[1]) as string;
    const start = assignment.lastIndex;
    const end = endOfJsonObject(source, start);
    entries[key] = JSON.parse(source.slice(start, end)) as ClientReferenceEntry;
    assignment.lastIndex = end;
  }
  return entries;
}

/** Index just past the JSON object starting at `start` (strings may contain braces). */
function endOfJsonObject(source: string, start: number): number {
  if (source[start] !== '{') throw new Error(`expected a JSON object at offset ${start}`);
  let depth = 0;
  let inString = false;
  for (let i = start; i < source.length; i++) {
    const char = source[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i + 1;
  }
  throw new Error('unterminated JSON object in client reference manifest');
}

/** The JS chunks of a first visit: root main files plus every segment's entry chunks, deduplicated. */
export function firstLoadChunks(rootMainFiles: string[], entryJSFiles: Record<string, string[]>): string[] {
  const chunks = new Set<string>();
  for (const files of Object.values(entryJSFiles)) for (const file of files) if (file.endsWith('.js')) chunks.add(file);
  for (const file of rootMainFiles) if (file.endsWith('.js')) chunks.add(file);
  return [...chunks];
}

/** Routes sorted largest first, each with its chunks largest first. */
export function sizeRoutes(
  routes: RouteChunks[],
  rootMainFiles: Set<string>,
  sizeOf: (chunk: string) => number,
  labelOf: (chunk: string, segment: string | undefined) => string,
): RouteSize[] {
  return routes
    .map(({ route, chunks, segmentOf = {} }) => {
      const infos = chunks.map((file) => ({ file, gzipBytes: sizeOf(file), root: rootMainFiles.has(file), label: labelOf(file, segmentOf[file]) }));
      infos.sort((a, b) => b.gzipBytes - a.gzipBytes);
      return { route, gzipBytes: infos.reduce((sum, chunk) => sum + chunk.gzipBytes, 0), chunks: infos };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes || a.route.localeCompare(b.route));
}

export function overBudget(sizes: RouteSize[], budgetKb: number = BUDGET_KB): RouteSize[] {
  return sizes.filter((size) => size.gzipBytes > budgetKb * KB);
}

export function formatKb(bytes: number): string {
  return (bytes / KB).toFixed(1);
}

/**
 * A readable name for a chunk: the segment that needs it (`w/[workspaceId]/layout`, `…/page`) and
 * the client modules whose loading needs it, project files before packages. A chunk many modules
 * need holds their shared dependencies (React libraries, zod…): it is shown as shared by how many.
 */
export function chunkLabel(chunk: string, segment: string | undefined, modulesByChunk: Map<string, Set<string>>): string {
  const modules = [...new Set([...(modulesByChunk.get(chunk) ?? [])].map(shortModuleName))].sort(
    (a, b) => Number(a.startsWith('npm:')) - Number(b.startsWith('npm:')) || a.localeCompare(b),
  );
  const needers = modules.length === 0 ? 'no client entry' : modules.length > 3 ? `shared by ${modules.length} client modules` : modules.join(', ');
  return segment ? `${segment} (${needers})` : needers;
}

/** `[project]/app/w/[workspaceId]/layout` → `w/[workspaceId]/layout`; the root layout is `layout`. */
export function shortSegmentName(key: string): string {
  return key.replace(/^\[project\]\//, '').replace(/^app\//, '').replace(/^node_modules\/next\/dist\/client\/components\/builtin\//, 'next builtin ');
}

export function shortModuleName(id: string): string {
  const withoutProject = id.replace(/^\[project\]\//, '').replace(/\s*<.*$/, '').replace(/\s*\[.*$/, '');
  const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(withoutProject);
  return pkg ? `npm:${pkg[1]}` : withoutProject;
}

/**
 * One row per route, largest first. Every route carries the root main files, so the "largest
 * chunks" column shows what the route adds on top of them; the root set is printed once above.
 */
export function renderTable(sizes: RouteSize[], budgetKb: number = BUDGET_KB, largest = 3): string {
  const rootChunks = sizes[0]?.chunks.filter((chunk) => chunk.root) ?? [];
  const rootBytes = rootChunks.reduce((sum, chunk) => sum + chunk.gzipBytes, 0);
  const routeWidth = Math.max(5, ...sizes.map((size) => size.route.length));
  const lines = [
    `Root main files, on every route: ${formatKb(rootBytes)} KB (${rootChunks.map((chunk) => `${path.basename(chunk.file)} ${formatKb(chunk.gzipBytes)}`).join(', ')})`,
    '',
    `${'route'.padEnd(routeWidth)}  first load (KB gz)  beyond root  largest chunks beyond root (KB gz: needed by)`,
  ];
  for (const size of sizes) {
    const flag = size.gzipBytes > budgetKb * KB ? ' OVER' : '';
    const own = size.chunks.filter((chunk) => !chunk.root);
    const ownBytes = own.reduce((sum, chunk) => sum + chunk.gzipBytes, 0);
    const top = own
      .slice(0, largest)
      .map((chunk) => `${formatKb(chunk.gzipBytes)}: ${chunk.label}`)
      .join(' · ');
    lines.push(`${size.route.padEnd(routeWidth)}  ${formatKb(size.gzipBytes).padStart(13)}${flag.padEnd(5)}  ${formatKb(ownBytes).padStart(11)}  ${top}`);
  }
  return lines.join('\n');
}

/**
 * The URL path of an app path, as Next's normalizeAppPath makes it: route groups `(name)` and
 * parallel slots `@name` are not in the URL, nor is the final `page`.
 */
export function routeOf(appPath: string): string {
  const segments = appPath.split('/').filter((segment, index, all) => {
    if (!segment || (segment.startsWith('(') && segment.endsWith(')')) || segment.startsWith('@')) return false;
    return !(index === all.length - 1 && (segment === 'page' || segment === 'route'));
  });
  return `/${segments.join('/')}`;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Reads a build directory into routes and their chunks (paths relative to the build directory). */
export function readBuild(distDir: string): { routes: RouteChunks[]; rootMainFiles: string[]; modulesByChunk: Map<string, Set<string>> } {
  const buildManifest = readJson<{ rootMainFiles?: string[] }>(path.join(distDir, 'build-manifest.json'));
  const rootMainFiles = buildManifest.rootMainFiles ?? [];
  if (rootMainFiles.length === 0) throw new Error('build-manifest.json lists no rootMainFiles: not an App Router build?');
  // Every app path (`/(auth)/sign-in/page`, `/api/me/route`), as Next's own route-bundle-stats reads them.
  const appPaths = Object.keys(readJson<Record<string, string>>(path.join(distDir, 'server', 'app-paths-manifest.json')));
  const chunksByRoute = new Map<string, Set<string>>();
  const modulesByChunk = new Map<string, Set<string>>();
  const segmentsByRoute = new Map<string, Record<string, string>>();
  for (const appPath of appPaths) {
    // Route handlers ship no client JavaScript.
    if (!appPath.endsWith('/page')) continue;
    const route = routeOf(appPath);
    const manifestFile = path.join(distDir, 'server', 'app', `${appPath}_client-reference-manifest.js`);
    // A page without its manifest would silently count as zero bytes: refuse instead.
    if (!existsSync(manifestFile)) throw new Error(`no client reference manifest for ${route} (${manifestFile}); has Next changed its build layout?`);
    const manifest = parseClientReferenceManifest(readFileSync(manifestFile, 'utf8'));
    const entry = manifest[appPath] ?? manifest[route];
    if (!entry?.entryJSFiles) throw new Error(`${manifestFile} has no entryJSFiles for ${appPath}`);
    const chunks = chunksByRoute.get(route) ?? new Set<string>();
    for (const chunk of firstLoadChunks(rootMainFiles, entry.entryJSFiles)) chunks.add(chunk);
    chunksByRoute.set(route, chunks);
    // Outermost segment first, a layout before its page, so a chunk is named by the first segment that needs it.
    const segmentOf = segmentsByRoute.get(route) ?? {};
    const depth = (key: string) => key.split('/').length - (key.endsWith('/layout') ? 0.5 : 0);
    for (const [key, files] of Object.entries(entry.entryJSFiles).sort(([a], [b]) => depth(a) - depth(b))) {
      for (const file of files) segmentOf[file] ??= shortSegmentName(key);
    }
    segmentsByRoute.set(route, segmentOf);
    for (const [moduleId, { chunks: moduleChunks = [] }] of Object.entries(entry.clientModules ?? {})) {
      for (const url of moduleChunks) {
        const chunk = url.replace(/^\/_next\//, '');
        const modules = modulesByChunk.get(chunk) ?? new Set<string>();
        modules.add(moduleId);
        modulesByChunk.set(chunk, modules);
      }
    }
  }
  if (chunksByRoute.size === 0) throw new Error('server/app-paths-manifest.json lists no pages');
  const routes = [...chunksByRoute].map(([route, chunks]) => ({ route, chunks: [...chunks], segmentOf: segmentsByRoute.get(route) }));
  return { routes, rootMainFiles, modulesByChunk };
}

/**
 * Next writes its own (uncompressed) figure to diagnostics/route-bundle-stats.json; a route whose
 * chunk set differs from ours means one of the two readings of the manifests is stale.
 */
export function disagreements(routes: RouteChunks[], nextStats: { route: string; firstLoadChunkPaths: string[] }[], distDirName: string): string[] {
  const ours = new Map(routes.map(({ route, chunks }) => [route, new Set(chunks)]));
  const notes: string[] = [];
  for (const { route, firstLoadChunkPaths } of nextStats) {
    const mine = ours.get(route);
    if (!mine) {
      notes.push(`${route}: in Next's route-bundle-stats.json but not measured here`);
      continue;
    }
    const theirs = new Set(firstLoadChunkPaths.map((file) => path.relative(distDirName, file)));
    const same = theirs.size === mine.size && [...theirs].every((file) => mine.has(file));
    if (!same) notes.push(`${route}: chunk set differs from Next's route-bundle-stats.json`);
  }
  return notes;
}

export interface Output {
  log: (line: string) => void;
  error: (line: string) => void;
  /** Print the measurements as one JSON document instead of the table (for tests and tooling). */
  json?: boolean;
}

/** Measures the build in `distDir`, prints the table, and returns the exit code: 0, 1 over budget, 2 unreadable. */
export function checkBudget(distDir: string, projectRoot: string, out: Output = { log: console.log, error: console.error }): number {
  let build: ReturnType<typeof readBuild>;
  try {
    build = readBuild(distDir);
  } catch (error) {
    out.error(`bundle budget: cannot read the build in ${distDir}: ${(error as Error).message}\nRun \`next build\` first.`);
    return 2;
  }
  const gzipCache = new Map<string, number>();
  const sizeOf = (chunk: string): number => {
    let size = gzipCache.get(chunk);
    if (size === undefined) {
      size = gzipSync(readFileSync(path.join(distDir, chunk)), { level: GZIP_LEVEL }).length;
      gzipCache.set(chunk, size);
    }
    return size;
  };
  const sizes = sizeRoutes(build.routes, new Set(build.rootMainFiles), sizeOf, (chunk, segment) => chunkLabel(chunk, segment, build.modulesByChunk));
  const over = overBudget(sizes);
  if (out.json) {
    out.log(JSON.stringify({ budgetKb: BUDGET_KB, gzipLevel: GZIP_LEVEL, over: over.map((size) => size.route), routes: sizes }, null, 2));
    return over.length > 0 ? 1 : 0;
  }

  out.log(`First-load JavaScript per route (${path.relative(projectRoot, distDir) || '.'}; gzip -${GZIP_LEVEL}, KB = 1,024 bytes; budget ${BUDGET_KB} KB)\n`);
  out.log(renderTable(sizes));

  const statsFile = path.join(distDir, 'diagnostics', 'route-bundle-stats.json');
  // `next build` does not empty diagnostics/, so an older build's file may still be there.
  const statsFresh = existsSync(statsFile) && statSync(statsFile).mtimeMs >= statSync(path.join(distDir, 'build-manifest.json')).mtimeMs;
  if (existsSync(statsFile) && !statsFresh) out.log(`\n${path.relative(projectRoot, statsFile)} is older than this build: not compared.`);
  if (statsFresh) {
    // Next records chunk paths relative to the project, e.g. `.next/static/chunks/…`.
    const notes = disagreements(build.routes, readJson(statsFile), path.relative(projectRoot, distDir));
    for (const note of notes) out.error(`note: ${note}`);
    if (notes.length === 0) out.log(`\nChunk sets agree with Next's ${path.relative(projectRoot, statsFile)} for every route.`);
  }

  if (over.length > 0) {
    out.error(`\n${over.length} route(s) over the ${BUDGET_KB} KB first-load budget:`);
    for (const size of over) out.error(`  ${size.route}: ${formatKb(size.gzipBytes)} KB`);
    return 1;
  }
  out.log(`\nEvery route is within ${BUDGET_KB} KB (largest: ${sizes[0].route}, ${formatKb(sizes[0].gzipBytes)} KB).`);
  return 0;
}

function main(): void {
  const args = process.argv.slice(2);
  const dirFlag = args.indexOf('--dir');
  const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const distDirName = dirFlag >= 0 ? args[dirFlag + 1] : process.env.NEXT_DIST_DIR || '.next';
  process.exitCode = checkBudget(path.resolve(projectRoot, distDirName), projectRoot, { log: console.log, error: console.error, json: args.includes('--json') });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
