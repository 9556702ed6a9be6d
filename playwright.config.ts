import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// Every run starts the production build on a brand-new embedded database, as a newcomer would.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-e2e-'));
const port = Number(process.env.E2E_PORT ?? 3100);
const sandboxPort = Number(process.env.E2E_SANDBOX_PORT ?? 4110);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: '.test-output/playwright.json' }]],
  use: {
    baseURL: `http://localhost:${port}`,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: [
    {
      command: 'node node_modules/tsx/dist/cli.mjs tests/sandbox/main.ts',
      url: `http://127.0.0.1:${sandboxPort}/_sandbox/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: { SANDBOX_PORT: String(sandboxPort) },
    },
    {
      command: `node node_modules/next/dist/bin/next start -p ${port}`,
      url: `http://localhost:${port}/sign-in`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: {
        DATA_DIR: dataDir,
        PGLITE_DIR: path.join(dataDir, 'pglite'),
        NEXT_TELEMETRY_DISABLED: '1',
        PROVIDER_SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
        // `next start` is a production server; this test build may still talk to the sandbox.
        PROVIDER_SANDBOX_ALLOW_PRODUCTION: '1',
        // A production server seeds no demo admin unless asked; the specs sign in as it.
        SEED_DEMO: '1',
        // No SMTP server: mail waits in the Outbox, which production shows only when told to.
        MAIL_OUTBOX: '1',
        // Outbound webhooks go to receivers the specs start on this machine (loopback).
        OUTBOUND_WEBHOOKS_ALLOW_PRIVATE: '1',
      },
    },
  ],
});
