import { defaultServerConditions } from "vite";
import { configDefaults, defineConfig } from "vitest/config";

// Tests run the packages' sources: their package.json exports map "@taskq/source" to src/*.ts (the
// root .npmrc passes the same condition to every node process an npm script starts, tsx included).
// What a user installs, the compiled dist/, is tested by test/package/install.test.ts.
const conditions = ["@taskq/source", ...defaultServerConditions.filter((c) => c !== "module")];

const ALL = ["packages/*/test/**/*.test.ts", "test/**/*.test.ts", "examples/*/*.test.ts"];

// Files that measure real time against an upper bound (delayed-job lateness p99, rate-limit windows,
// outage and shutdown bounds, chaos recovery p99, leases kept by heartbeats while threads burn both
// cores): on a 2-core machine they must not compete for it, so they run one after another, alone.
const TIMING = [
  "packages/runtime/test/delayed.test.ts",
  "packages/runtime/test/rate-limits.test.ts",
  "packages/runtime/test/redis-outage.test.ts",
  "packages/runtime/test/worker-outage.test.ts",
  "packages/runtime/test/worker.test.ts",
  "packages/runtime/test/reliability.test.ts",
  "packages/runtime/test/thread-pool.test.ts",
  // Asserts the runner's idle slot state after bursts, which depends on when its blocking read is answered.
  "packages/runtime/test/queue-runner.test.ts",
  "packages/cli/test/redis-outage.test.ts",
  "test/chaos/*.test.ts",
];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@taskq/source"] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // (`include` is per project: a project's arrays add to the root's, they do not replace them.)
    projects: [
      // Everything else first, two files at a time (each starts its own redis-server on a free port).
      // A test that fails while another file loads the other core gets one more try: a real failure fails
      // both (CLI processes loading the sources through tsx, cluster nodes starting, take seconds then).
      {
        extends: true,
        test: { name: "parallel", include: ALL, exclude: [...configDefaults.exclude, ...TIMING], maxWorkers: 2, retry: 1, sequence: { groupOrder: 0 } },
      },
      // Then the timing files, once the parallel ones are done: one at a time, nothing beside them.
      { extends: true, test: { name: "timing", include: TIMING, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
