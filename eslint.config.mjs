// ESLint flat config: Next.js (core web vitals) + typescript-eslint recommended, not type-aware
// (tsc --noEmit already runs in scripts/test.sh; type-aware linting would double the cost).
import { defineConfig, globalIgnores } from "eslint/config";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

export default defineConfig(
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "node_modules/**",
    ".data/**",
    ".test-output/**",
    "playwright-report/**",
    "test-results/**",
    "next-env.d.ts",
  ]),
  // React, react-hooks (incl. the React Compiler rules), jsx-a11y, import and @next/next rules.
  ...nextCoreWebVitals,
  // typescript-eslint's `recommended`, plus next's downgrade of no-unused-vars/no-unused-expressions to warn
  // (harmless here: `--max-warnings 0` fails on warnings too).
  ...nextTypescript,
  {
    rules: {
      // Relaxed: `_`-prefixed names mark deliberate non-use (as tsc's noUnusedLocals/Parameters accept).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["tests/**"],
    rules: {
      // Off in tests: they poke at providers' wire formats through deliberately loose JSON (`Record<string, any>`).
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
