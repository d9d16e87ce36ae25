/**
 * Where a chaos run's Redis is: a `redis://` URL or the nodes of a Redis Cluster. The same value is
 * taskq's `connection` option, is passed to worker processes through the environment, and opens the
 * admin client the storm counts with (keys of `{social}` and `chaos:log` are read with plain commands
 * and single-slot pipelines, so either client kind works).
 */
import { Cluster, Redis } from "ioredis";

export type ChaosTarget = string | { cluster: Array<{ host: string; port: number }> };

/** `TASKQ_REDIS_URL` for one server, `CHAOS_CLUSTER_NODES` ("host:port,…") for a cluster. */
export function targetEnv(target: ChaosTarget): Record<string, string> {
  if (typeof target === "string") return { TASKQ_REDIS_URL: target, CHAOS_CLUSTER_NODES: "" };
  return { TASKQ_REDIS_URL: "", CHAOS_CLUSTER_NODES: target.cluster.map((n) => `${n.host}:${n.port}`).join(",") };
}

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): ChaosTarget {
  const nodes = env.CHAOS_CLUSTER_NODES;
  if (nodes) {
    return {
      cluster: nodes.split(",").map((n) => {
        const [host, port] = n.split(":");
        return { host, port: Number(port) };
      }),
    };
  }
  return env.TASKQ_REDIS_URL || "redis://127.0.0.1:6379";
}

/**
 * A client that waits through outages (restarts, failovers) instead of failing its commands. Errors
 * are silenced: taking Redis away is what the chaos does.
 */
export function openRedis(target: ChaosTarget): Redis | Cluster {
  const client =
    typeof target === "string"
      ? new Redis(target, { maxRetriesPerRequest: null })
      : new Cluster(target.cluster, { redisOptions: { maxRetriesPerRequest: null } });
  client.on("error", () => undefined);
  return client;
}
