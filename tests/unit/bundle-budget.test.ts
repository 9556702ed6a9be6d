// scripts/bundle-budget.ts: reading Next's manifests into per-route first-load chunks, summing
// gzipped sizes and failing over budget. Fixture builds are written to a temp directory in the
// layout `next build` (16, Turbopack) leaves; the last test runs the whole check on them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUDGET_KB,
  checkBudget,
  chunkLabel,
  disagreements,
  firstLoadChunks,
  KB,
  overBudget,
  parseClientReferenceManifest,
  readBuild,
  renderTable,
  routeOf,
  shortModuleName,
  shortSegmentName,
  sizeRoutes,
} from '@/scripts/bundle-budget';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function manifestSource(appPath: string, entry: object): string {
  return `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST[${JSON.stringify(appPath)}] = ${JSON.stringify(entry)};\n`;
}

interface FixturePage {
  appPath: string;
  entryJSFiles: Record<string, string[]>;
  clientModules?: Record<string, { chunks: string[] }>;
}

/** A build directory as `next build` leaves it, with chunk files of the given sizes (random bytes: gzip cannot shrink them). */
function fixtureBuild(pages: FixturePage[], chunkBytes: Record<string, number>, rootMainFiles: string[], extraAppPaths: string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-budget-'));
  temps.push(dir);
  fs.writeFileSync(path.join(dir, 'build-manifest.json'), JSON.stringify({ pages: { '/_app': [] }, polyfillFiles: ['static/chunks/polyfill.js'], rootMainFiles }));
  const appPaths = [...pages.map((page) => page.appPath), ...extraAppPaths];
  for (const page of pages) {
    const file = path.join(dir, 'server', 'app', `${page.appPath}_client-reference-manifest.js`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, manifestSource(page.appPath, { moduleLoading: { prefix: '' }, clientModules: page.clientModules ?? {}, entryJSFiles: page.entryJSFiles }));
  }
  fs.mkdirSync(path.join(dir, 'server'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'server', 'app-paths-manifest.json'), JSON.stringify(Object.fromEntries(appPaths.map((appPath) => [appPath, `app${appPath}.js`]))));
  for (const [chunk, bytes] of Object.entries(chunkBytes)) {
    fs.mkdirSync(path.dirname(path.join(dir, chunk)), { recursive: true });
    fs.writeFileSync(path.join(dir, chunk), randomBytes(bytes));
  }
  return dir;
}

describe('parseClientReferenceManifest', () => {
  it('reads the JSON a manifest assigns, braces and quotes inside strings included, without running it', () => {
    const entry = { clientModules: { '[project]/components/a {b}.tsx': { chunks: ['/_next/static/chunks/a.js'] } }, entryJSFiles: { '[project]/app/page': ['static/chunks/a.js', 'static/chunks/"q}.js'] } };
    const source = `${manifestSource('/page', entry)}globalThis.__RSC_MANIFEST["/other/page"] = {"entryJSFiles":{}};\nthrow new Error("never run");`;
    const parsed = parseClientReferenceManifest(source);
    expect(parsed['/page']).toEqual(entry);
    expect(parsed['/other/page']).toEqual({ entryJSFiles: {} });
  });

  it('refuses a manifest whose object never closes', () => {
    expect(() => parseClientReferenceManifest('globalThis.__RSC_MANIFEST["/page"] = {"entryJSFiles": {')).toThrow(/unterminated/);
  });
});

describe('routeOf', () => {
  it('drops route groups, parallel slots and the final page or route, as Next does', () => {
    expect(routeOf('/page')).toBe('/');
    expect(routeOf('/(auth)/sign-in/page')).toBe('/sign-in');
    expect(routeOf('/w/[workspaceId]/@panel/(settings)/settings/page')).toBe('/w/[workspaceId]/settings');
    expect(routeOf('/api/pages/route')).toBe('/api/pages');
    expect(routeOf('/docs/page/view/page')).toBe('/docs/page/view');
  });
});

describe('firstLoadChunks', () => {
  it('is every segment entry chunk plus the root main files, once each, JavaScript only', () => {
    const chunks = firstLoadChunks(['static/chunks/react.js', 'static/chunks/runtime.js'], {
      '[project]/app/layout': ['static/chunks/layout.js', 'static/chunks/layout.css'],
      '[project]/app/w/page': ['static/chunks/layout.js', 'static/chunks/page.js'],
      '[project]/app/not-found': ['static/chunks/react.js'],
    });
    expect(chunks.sort()).toEqual(['static/chunks/layout.js', 'static/chunks/page.js', 'static/chunks/react.js', 'static/chunks/runtime.js']);
  });
});

describe('sizeRoutes and overBudget', () => {
  const sizes = { a: 150 * KB, b: 50 * KB, c: 50 * KB + 1, r: 0 } as Record<string, number>;
  const routes = sizeRoutes(
    [
      { route: '/exactly', chunks: ['a', 'b'] },
      { route: '/over', chunks: ['a', 'c'] },
      { route: '/small', chunks: ['b'] },
    ],
    new Set(['a']),
    (chunk) => sizes[chunk],
    (chunk, segment) => `label ${chunk}${segment ?? ''}`,
  );

  it('sums each route, sorts largest first, and its chunks largest first', () => {
    expect(routes.map((route) => [route.route, route.gzipBytes])).toEqual([
      ['/over', 200 * KB + 1],
      ['/exactly', 200 * KB],
      ['/small', 50 * KB],
    ]);
    expect(routes[0].chunks.map((chunk) => [chunk.file, chunk.root])).toEqual([
      ['a', true],
      ['c', false],
    ]);
  });

  it('puts a route over the budget only past the limit, not at it', () => {
    expect(BUDGET_KB).toBe(200);
    expect(overBudget(routes).map((route) => route.route)).toEqual(['/over']);
    expect(overBudget(routes, 40).map((route) => route.route)).toEqual(['/over', '/exactly', '/small']);
  });

  it('prints the root set once and flags the routes over budget', () => {
    const table = renderTable(routes);
    expect(table).toContain('Root main files, on every route: 150.0 KB (a 150.0)');
    expect(table).toMatch(/\/over +200\.0 OVER +50\.0 +50\.0: label c/);
    expect(table).toMatch(/\/exactly +200\.0 {7}/);
    expect(table.split('\n').filter((line) => line.includes('OVER'))).toHaveLength(1);
  });
});

describe('chunk labels', () => {
  it('names npm packages by package and project files by path', () => {
    expect(shortModuleName('[project]/node_modules/@radix-ui/react-dialog/dist/index.mjs <module evaluation>')).toBe('npm:@radix-ui/react-dialog');
    expect(shortModuleName('[project]/node_modules/next/dist/client/app-dir/link.js [app-client] (ecmascript)')).toBe('npm:next');
    expect(shortModuleName('[project]/components/push/push-editor.tsx')).toBe('components/push/push-editor.tsx');
  });

  it('names the segment that needs a chunk and the client modules that need it, or how many share it', () => {
    const modules = new Map([
      ['few.js', new Set(['[project]/node_modules/zod/index.js', '[project]/components/b.tsx'])],
      ['many.js', new Set(['[project]/components/b.tsx', '[project]/components/a.tsx', '[project]/components/c.tsx', '[project]/components/d.tsx'])],
    ]);
    expect(chunkLabel('few.js', 'w/[id]/page', modules)).toBe('w/[id]/page (components/b.tsx, npm:zod)');
    expect(chunkLabel('many.js', 'layout', modules)).toBe('layout (shared by 4 client modules)');
    expect(chunkLabel('unknown.js', undefined, modules)).toBe('no client entry');
    expect(shortSegmentName('[project]/app/w/[workspaceId]/layout')).toBe('w/[workspaceId]/layout');
  });
});

describe('readBuild', () => {
  const pages: FixturePage[] = [
    {
      appPath: '/(auth)/sign-in/page',
      entryJSFiles: { '[project]/app/layout': ['static/chunks/layout.js'], '[project]/app/(auth)/sign-in/page': ['static/chunks/sign-in.js'] },
      clientModules: { '[project]/components/auth/sign-in-form.tsx': { chunks: ['/_next/static/chunks/sign-in.js'] } },
    },
    {
      appPath: '/w/[id]/@modal/page',
      entryJSFiles: { '[project]/app/layout': ['static/chunks/layout.js'], '[project]/app/w/[id]/layout': ['static/chunks/shell.js'], '[project]/app/w/[id]/@modal/page': ['static/chunks/shell.js', 'static/chunks/big.js'] },
    },
  ];
  const chunkBytes = { 'static/chunks/root.js': 100 * KB, 'static/chunks/layout.js': KB, 'static/chunks/sign-in.js': 2 * KB, 'static/chunks/shell.js': 40 * KB, 'static/chunks/big.js': 70 * KB };

  it('maps each page (not route handlers) to its chunks, under the route Next normalised', () => {
    const dir = fixtureBuild(pages, chunkBytes, ['static/chunks/root.js'], ['/api/things/route']);
    const build = readBuild(dir);
    expect(build.routes.map((route) => [route.route, [...route.chunks].sort()])).toEqual([
      ['/sign-in', ['static/chunks/layout.js', 'static/chunks/root.js', 'static/chunks/sign-in.js']],
      ['/w/[id]', ['static/chunks/big.js', 'static/chunks/layout.js', 'static/chunks/root.js', 'static/chunks/shell.js']],
    ]);
    const signIn = build.routes[0];
    expect(chunkLabel('static/chunks/sign-in.js', signIn.segmentOf?.['static/chunks/sign-in.js'], build.modulesByChunk)).toBe(
      '(auth)/sign-in/page (components/auth/sign-in-form.tsx)',
    );
    expect(build.routes[1].segmentOf?.['static/chunks/layout.js']).toBe('layout');
    expect(build.routes[1].segmentOf?.['static/chunks/shell.js']).toBe('w/[id]/layout');
  });

  it('refuses a page whose client reference manifest is missing instead of counting it as empty', () => {
    const dir = fixtureBuild(pages, chunkBytes, ['static/chunks/root.js'], ['/gone/page']);
    expect(() => readBuild(dir)).toThrow(/no client reference manifest for \/gone/);
  });

  it("compares with Next's route-bundle-stats.json only when it comes from the same build", () => {
    const dir = fixtureBuild(pages, { ...chunkBytes, 'static/chunks/big.js': 10 * KB }, ['static/chunks/root.js']);
    const stats = path.join(dir, 'diagnostics', 'route-bundle-stats.json');
    fs.mkdirSync(path.dirname(stats));
    fs.writeFileSync(stats, JSON.stringify([{ route: '/sign-in', firstLoadChunkPaths: [] }]));
    const lines: string[] = [];
    const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    checkBudget(dir, path.dirname(dir), out);
    expect(lines).toContain("note: /sign-in: chunk set differs from Next's route-bundle-stats.json");
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(stats, old, old);
    lines.length = 0;
    checkBudget(dir, path.dirname(dir), out);
    expect(lines.join('\n')).toMatch(/route-bundle-stats\.json is older than this build: not compared/);
    expect(lines.join('\n')).not.toMatch(/chunk set differs/);
  });

  it("notes where Next's own route-bundle-stats.json lists other chunks", () => {
    const routes = [{ route: '/a', chunks: ['static/chunks/x.js', 'static/chunks/y.js'] }];
    const same = [{ route: '/a', firstLoadChunkPaths: ['.next/static/chunks/y.js', '.next/static/chunks/x.js'] }];
    expect(disagreements(routes, same, '.next')).toEqual([]);
    const other = [{ route: '/a', firstLoadChunkPaths: ['.next/static/chunks/x.js'] }, { route: '/b', firstLoadChunkPaths: [] }];
    expect(disagreements(routes, other, '.next')).toEqual([
      "/a: chunk set differs from Next's route-bundle-stats.json",
      "/b: in Next's route-bundle-stats.json but not measured here",
    ]);
  });

  it('returns 1 naming each route over the budget, 0 when all fit, 2 without a build', () => {
    const capture = () => {
      const lines = { log: [] as string[], error: [] as string[] };
      return { lines, out: { log: (line: string) => lines.log.push(line), error: (line: string) => lines.error.push(line) } };
    };
    const over = fixtureBuild(pages, chunkBytes, ['static/chunks/root.js']);
    const failed = capture();
    expect(checkBudget(over, os.tmpdir(), failed.out)).toBe(1);
    expect(failed.lines.error.join('\n')).toMatch(/1 route\(s\) over the 200 KB first-load budget:\n {2}\/w\/\[id\]: 211\.\d KB$/);
    expect(failed.lines.log.join('\n')).toMatch(/\/sign-in +103\.\d/);

    const fits = fixtureBuild(pages, { ...chunkBytes, 'static/chunks/big.js': 10 * KB }, ['static/chunks/root.js']);
    const passed = capture();
    expect(checkBudget(fits, os.tmpdir(), passed.out)).toBe(0);
    expect(passed.lines.log.at(-1)).toMatch(/Every route is within 200 KB \(largest: \/w\/\[id\], 151\.\d KB\)/);
    expect(passed.lines.error).toEqual([]);

    const json = capture();
    expect(checkBudget(over, os.tmpdir(), { ...json.out, json: true })).toBe(1);
    const report = JSON.parse(json.lines.log.join('\n'));
    expect(report).toMatchObject({ budgetKb: 200, gzipLevel: 9, over: ['/w/[id]'] });
    expect(report.routes.map((route: { route: string }) => route.route)).toEqual(['/w/[id]', '/sign-in']);

    const missing = capture();
    expect(checkBudget(path.join(over, 'nowhere'), os.tmpdir(), missing.out)).toBe(2);
    expect(missing.lines.error.join('\n')).toMatch(/Run `next build` first/);
  });
});
