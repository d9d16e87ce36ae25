/**
 * Failover on a real 6-node Redis Cluster: the master serving the queue is SIGKILLed mid-run, its
 * replica is promoted (cluster-node-timeout 2 s), and producers and workers follow it. Without
 * `durable`, enqueues acknowledged in the last moments before the kill may be lost (Redis replicates
 * asynchronously; the figure is printed); with `durable: true` none is.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startCluster, type TestCluster } from "../support/redis-cluster.js";
import { runFailover } from "./failover.js";

let cluster: TestCluster;

beforeEach(async () => {
  cluster = await startCluster();
});
afterEach(async () => {
  await cluster?.stop();
});

const run = (durable: boolean) =>
  runFailover({ cluster, durable, workers: 3, producers: durable ? 5 : 2, beforeKillMs: 1_500, lagReplicaMs: 300, afterKillMs: 8_000 });

describe("a master failover", () => {
  it("workers and producers follow the promoted replica and go on (what is lost without durable is counted)", async () => {
    const report = await run(false);
    console.log("failover, durable false:", JSON.stringify(report));
    expect(report.jobs).toBeGreaterThan(200);
    // Writes acknowledged while the replica's link was cut die with the master.
    expect(report.lost).toBeGreaterThan(0);
    expect(report.resumeMs).toBeLessThan(15_000);
  }, 90_000);

  it("loses no acknowledged job with durable: true", async () => {
    const report = await run(true);
    console.log("failover, durable true:", JSON.stringify(report));
    expect(report.jobs).toBeGreaterThan(200);
    expect(report.lost).toBe(0);
    expect(report.resumeMs).toBeLessThan(15_000);
  }, 90_000);
});
