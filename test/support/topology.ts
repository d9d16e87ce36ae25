/**
 * The Redis topologies the core suites run against: one `redis-server`, and a 6-node Redis Cluster.
 * A suite does `describe.each(TOPOLOGIES)` and gets the connection option taskq takes, plus an admin
 * client for assertions.
 */
import { Cluster, Redis } from "ioredis";
import type { ConnectionOptions } from "@taskq/runtime";
import { startCluster } from "./redis-cluster.js";
import { startRedis } from "./redis-server.js";

export interface TestTopology {
  readonly connection: ConnectionOptions;
  /** For assertions; `keys()` spans every master. */
  readonly redis: Redis | Cluster;
  keys(pattern: string): Promise<string[]>;
  stop(): Promise<void>;
}

export interface TopologyKind {
  readonly name: "single" | "cluster";
  start(): Promise<TestTopology>;
}

export const SINGLE: TopologyKind = {
  name: "single",
  async start() {
    const server = await startRedis();
    const redis = new Redis(server.url);
    return {
      connection: server.url,
      redis,
      keys: (pattern) => redis.keys(pattern),
      async stop() {
        redis.disconnect();
        await server.stop();
      },
    };
  },
};

export const CLUSTER: TopologyKind = {
  name: "cluster",
  async start() {
    const cluster = await startCluster();
    const redis = new Cluster(cluster.nodes);
    // `nodes()` is empty until the client has read the slot map.
    await new Promise<void>((resolve, reject) => {
      redis.once("ready", () => resolve());
      redis.once("error", reject);
    });
    return {
      connection: { cluster: cluster.nodes },
      redis,
      async keys(pattern) {
        const all = await Promise.all(redis.nodes("master").map((node) => node.keys(pattern)));
        return all.flat();
      },
      async stop() {
        redis.disconnect();
        await cluster.stop();
      },
    };
  },
};

export const TOPOLOGIES: TopologyKind[] = [SINGLE, CLUSTER];
