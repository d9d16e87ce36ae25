/**
 * The kill storm on a real 6-node Redis Cluster (3 masters, 3 replicas): the same worker processes,
 * connected with `{ cluster: nodes }`, SIGKILLed every second, lose no job. Kept small (2,000 jobs)
 * so the suite stays fast; `chaos.test.ts` runs the larger storms on one redis-server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster, type TestCluster } from "../support/redis-cluster.js";
import { runStorm } from "./storm.js";

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describe("kill storm on Redis Cluster", () => {
  it("loses no job when a random worker of 3 is SIGKILLed every second (deadAfterMs 1000)", async () => {
    const report = await runStorm({
      target: { cluster: cluster.nodes },
      workers: 3,
      jobs: 2_000,
      killEveryMs: 1_000,
      deadAfterMs: 1_000,
      jobMs: 70,
      timeoutMs: 60_000,
    });
    console.log("kill storm on cluster, deadAfterMs 1000:", JSON.stringify(report));
    expect(report.kills).toBeGreaterThanOrEqual(3);
    expect(report.lost).toBe(0);
    expect(report.dead).toBe(0);
    expect(report.completed).toBe(2_000);
    expect(report.duplicates).toBeLessThanOrEqual(report.inFlightOnKilled);
    expect(report.recoveryMs.count).toBeGreaterThan(0);
    expect(report.recoveryMs.p99).toBeLessThanOrEqual(2_000);
  }, 90_000);
});
