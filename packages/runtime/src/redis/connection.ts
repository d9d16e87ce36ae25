/**
 * Turns the `connection` option (a URL, ioredis options, an ioredis instance, or `{ cluster }`) into
 * an ioredis client, and remembers whether taskq made it (and so must close it).
 */
import { Cluster, Redis, type ClusterNode, type RedisOptions } from "ioredis";

export type RedisClient = Redis | Cluster;

export type ConnectionOptions =
  | string
  | RedisOptions
  | Redis
  | Cluster
  | { cluster: ClusterNode[]; options?: RedisOptions };

export interface OwnedConnection {
  readonly client: RedisClient;
  /** True when taskq created the client and so closes it. */
  readonly owned: boolean;
}

/** `TASKQ_REDIS_URL`, else `REDIS_URL`, else the local default. */
export function defaultRedisUrl(): string {
  return process.env.TASKQ_REDIS_URL || process.env.REDIS_URL || "redis://127.0.0.1:6379";
}

export function connect(options: ConnectionOptions | undefined, extra: RedisOptions = {}): OwnedConnection {
  if (options instanceof Redis || options instanceof Cluster) return { client: options, owned: false };
  if (options === undefined || typeof options === "string") {
    return { client: new Redis(options ?? defaultRedisUrl(), { ...extra }), owned: true };
  }
  if ("cluster" in options) {
    return {
      client: new Cluster(options.cluster, { redisOptions: { ...options.options, ...extra } }),
      owned: true,
    };
  }
  return { client: new Redis({ ...options, ...extra }), owned: true };
}

/**
 * A second connection to the same server(s), for blocking reads and pub/sub, which would otherwise
 * stall the commands queued behind them.
 */
export function duplicate(client: RedisClient, extra: RedisOptions = {}): RedisClient {
  if (client instanceof Cluster) {
    return client.duplicate(undefined, { redisOptions: { ...client.options.redisOptions, ...extra } });
  }
  return client.duplicate(extra);
}
