// `npm run lint`: ESLint with typescript-eslint's type-checked rules over every source the repository
// owns: the packages' src, tests and benches, the end-to-end tests, the example, bench/ and scripts/.
// Types come from the project service: each file is checked against the tsconfig.json nearest to it,
// the programs `npm run typecheck` builds, so a rule sees exactly the types tsc sees.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

const TESTS = ["**/test/**", "**/*.test.ts"];
const JAVASCRIPT = ["**/*.js", "**/*.mjs"];

export default defineConfig(
  globalIgnores([
    "**/dist/",
    "docs/api/",
    "packed/",
    "test/artifacts/",
    "bench/tmp/",
    "bench/results/",
    // Generated code is linted where it comes from: a finding is fixed in templates/ and the outputs
    // regenerated (a hand edit would be overwritten, and `taskq generate --check` compares them byte
    // for byte). The codegen tests type-check every output under the strictest tsconfig a user may have.
    "**/generated/",
    // Inputs of the codegen tests (some invalid on purpose), the runtime's thread-pool fixture and the
    // app the install test builds against the packed tarballs: tsconfig.json leaves them out (they are
    // checked where they are used), so there are no types to lint them with.
    "**/fixtures/",
    "test/package/app/",
  ]),
  js.configs.recommended,
  // Among them the promise and error rules this code most needs: no-floating-promises,
  // no-misused-promises, await-thenable, only-throw-error, prefer-promise-reject-errors.
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: {
          // JavaScript no tsconfig.json includes (tsc does not check JavaScript here); each gets a
          // default program, so the promise rules apply to it too.
          allowDefaultProject: ["eslint.config.js", "prettier.config.js", "scripts/*.mjs", "packages/cli/bin/*.js", "packages/runtime/src/worker/*.mjs"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Bugs the recommended set does not look for.
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
      "@typescript-eslint/return-await": ["error", "in-try-catch"],
      // Passing on a reason someone else made (an abort signal's, a caught error) is not making a
      // non-Error one: allowed, as only-throw-error allows rethrowing an `any` or `unknown`.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
      // Noise here: matching control characters is the point where it is done (terminal escaping).
      "no-control-regex": "off",
      // Noise here: `async` marks functions that fulfil a Promise-returning contract (handlers, fakes,
      // Fastify hooks) whether or not they await, and makes their throws rejections.
      "@typescript-eslint/require-await": "off",
      // Noise here: `any` is written deliberately (generic constraints, decoded JSON) and tsc's strict
      // mode already refuses an implicit one; the no-unsafe-* rules below check what is done with it.
      "@typescript-eslint/no-explicit-any": "off",
      // Deliberate here: Worker's typed events are an interface of `on` overloads merged into the class.
      "@typescript-eslint/no-unsafe-declaration-merging": "off",
      // `_`-prefixed names are unused on purpose (a parameter a signature needs, a key left out of a rest).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Tests and JavaScript read parsed JSON, Redis replies and test doubles as `any` on purpose; an
    // unchecked access there fails the test or the script, not a user. The sources keep the rules.
    files: [...TESTS, ...JAVASCRIPT],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // The dashboard's script runs in the browser, as it is (no build step, no types to check it with).
    files: ["packages/runtime/src/http/dashboard/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.browser, sourceType: "script" },
  },
);
