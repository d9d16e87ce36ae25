import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Tests run the packages' sources: their package.json exports map "@taskq/source" to src/*.ts (the
// root .npmrc passes the same condition to every node process an npm script starts, tsx included).
// What a user installs, the compiled dist/, is tested by test/package/install.test.ts.
const conditions = ["@taskq/source", ...defaultServerConditions.filter((c) => c !== "module")];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@taskq/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts", "examples/*/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Suites run one after another: the chaos storm and the timing tests (delayed-job lateness,
    // rate-limit windows) measure real time on a 2-core machine and must not compete for it.
    fileParallelism: false,
  },
});
