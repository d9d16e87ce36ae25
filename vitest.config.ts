import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defaultServerConditions } from "vite";
import { configDefaults, defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Tests run the packages' sources. Their package.json exports name only dist/, so the workspace
// imports are aliased to src/ by the `paths` of tsconfig.json, the one list `npm run typecheck`,
// TypeDoc and tsx (the processes and pool threads tests start, the CLI binary) resolve them by too.
// Each alias matches its specifier exactly, so "@taskq/runtime" does not capture "@taskq/runtime/http".
// What a user installs, the compiled dist/, is tested by test/package/install.test.ts.
const tsconfig = fileURLToPath(new URL("./tsconfig.json", import.meta.url));
const { paths } = (JSON.parse(readFileSync(tsconfig, "utf8")) as { compilerOptions: { paths: Record<string, [string]> } }).compilerOptions;
const alias = Object.entries(paths).map(([specifier, [target]]) => ({
  find: new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
  replacement: fileURLToPath(new URL(target, import.meta.url)),
}));
// Other packages resolve as Node resolves them: without the "module" condition (@opentelemetry's
// module builds are not loadable ESM).
const conditions = defaultServerConditions.filter((c) => c !== "module");

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
  "test/chaos/chaos.test.ts",
  "test/chaos/chaos-cluster.test.ts",
  // Not test/chaos/failover.test.ts: its bounds are loose beside the figures (resume within 15 s of a
  // promotion that takes 3–4 s; counts of jobs, not latencies), and most of its time is waiting.
];

// The parallel files that take longest, longest first. Vitest starts the files that took longest in the
// last run first, but with no last run (a fresh CI checkout) it starts the largest files first, and a
// short file with a long run (failover.test.ts: two cluster failovers, 35 s) then starts last and keeps
// one worker busy alone at the end.
const LONG = [
  "packages/cli/test/inspect-commands.test.ts",
  "test/package/install.test.ts",
  "test/chaos/failover.test.ts",
  "packages/cli/test/operator-safety.test.ts",
  "packages/cli/test/queue-prefixes.test.ts",
  "test/e2e/example.test.ts",
  "packages/codegen/test/typecheck.test.ts",
  "packages/cli/test/cli-conventions.test.ts",
  "packages/codegen/test/flow-control.test.ts",
];

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const known = (file: TestSpecification) => this.ctx.cache.getFileTestResults(`${file.project.name}:${path.relative(root, file.moduleId)}`);
    if (files.every(known)) return sorted;
    const rank = (file: TestSpecification) => {
      const index = LONG.indexOf(path.relative(root, file.moduleId));
      return index < 0 ? LONG.length : index;
    };
    // Stable: projects keep their order (each where its first file was), and within one the listed
    // files go before the rest (a key per file, so the order is a total one).
    const projectAt = new Map<string, number>();
    sorted.forEach((file, index) => projectAt.has(file.project.name) || projectAt.set(file.project.name, index));
    return sorted
      .map((file, index) => ({ file, index, project: projectAt.get(file.project.name) ?? 0, rank: rank(file) }))
      .sort((a, b) => a.project - b.project || a.rank - b.rank || a.index - b.index)
      .map(({ file }) => file);
  }
}

export default defineConfig({
  resolve: { alias, conditions },
  ssr: { resolve: { conditions } },
  test: {
    // A tsx started by a test (a spawned process, a thread pool's thread) reads this tsconfig.json
    // whatever its working directory.
    env: { TSX_TSCONFIG_PATH: tsconfig },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    sequence: { sequencer: LongFirst },
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
