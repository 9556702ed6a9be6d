import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    // Runs are only queued; tests drive the sync engine themselves.
    env: { JOB_RUNNER: 'none' },
    projects: [
      {
        extends: true,
        // A provider's own tests sit beside its sandbox registration (tests/sandbox/providers/<id>/):
        // *.unit.test.ts run here, *.integration.test.ts in the integration project.
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/sandbox/providers/*/**/*.unit.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/sandbox/providers/*/**/*.integration.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // PGlite boots a whole PostgreSQL in WebAssembly per file; two cores fit two at once.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      // Two `next start` processes on one PostgreSQL server (TEST_DATABASE_URL) after a production
      // build: only when asked for by name (`--project multi-instance`, scripts/test.sh), never
      // in a plain `vitest run`.
      ...(process.argv.some((arg) => /(^|=)multi-instance$/.test(arg))
        ? [
            {
              extends: true as const,
              test: {
                name: 'multi-instance',
                include: ['tests/multi-instance/**/*.test.ts'],
                environment: 'node' as const,
                testTimeout: 120_000,
                hookTimeout: 300_000,
                maxWorkers: 1,
                sequence: { groupOrder: 2 },
              },
            },
          ]
        : []),
    ],
  },
});
