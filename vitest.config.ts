import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Suites run one after another: the chaos storm and the timing tests (delayed-job lateness,
    // rate-limit windows) measure real time on a 2-core machine and must not compete for it.
    fileParallelism: false,
  },
});
