import type { NextConfig } from 'next';

const config: NextConfig = {
  // PGlite loads its WebAssembly and extension bundles from its own package directory at run time.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  poweredByHeader: false,
  // Lets a second checkout-sharing build (a parallel e2e run) keep its own output directory.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Migrations and the seed are read at run time; ship them with standalone output too.
  outputFileTracingIncludes: { '/**': ['./supabase/**/*.sql'] },
  // Next refuses dev-server requests from hosts other than localhost unless listed here.
  allowedDevOrigins: ['127.0.0.1'],
};

export default config;
