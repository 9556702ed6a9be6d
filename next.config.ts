import type { NextConfig } from 'next';

const config: NextConfig = {
  // PGlite and re2-wasm load their WebAssembly from their own package directories at run time.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 're2-wasm'],
  poweredByHeader: false,
  // Lets a second checkout-sharing build (a parallel e2e run) keep its own output directory.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Migrations, the seed and RE2's WebAssembly are read at run time; ship them with standalone output too.
  outputFileTracingIncludes: { '/**': ['./supabase/**/*.sql', './node_modules/re2-wasm/build/wasm/*'] },
  // Next refuses dev-server requests from hosts other than localhost unless listed here.
  allowedDevOrigins: ['127.0.0.1'],
};

export default config;
