// The `connection` option of every taskq class, and the ioredis client it becomes.
import { Cluster, Redis, type ClusterNode, type RedisOptions } from "ioredis";
import { assertUrlDatabase, closeOnRefusedDatabase } from "./redis-url.js";

/** An ioredis client: one server (`Redis`) or a Redis Cluster (`Cluster`). */
export type RedisClient = Redis | Cluster;

/**
 * Where Redis is: a URL, a URL with ioredis options ({@link UrlConnection}), ioredis options, an ioredis
 * instance (which taskq uses but never closes), or `{ cluster }` for Redis Cluster. Every other form makes
 * a client taskq owns and closes. (Default, when left out: {@link defaultRedisUrl})
 */
export type ConnectionOptions =
  | string
  | RedisOptions
  | UrlConnection
  | Redis
  | Cluster
  | {
      /** Seed nodes of the cluster; the rest are discovered. */
      cluster: ClusterNode[];
      /** ioredis options of each node's connection. */
      options?: RedisOptions;
    };

/**
 * A URL plus what a URL cannot carry, such as a TLS CA: `{ url: "rediss://host:6380", tls: { ca } }`.
 * The URL's host, port, user, password and db win over the same fields given here.
 */
export interface UrlConnection extends RedisOptions {
  /** `redis://` or `rediss://` (TLS) URL of the server. */
  url: string;
}

/** A client made from {@link ConnectionOptions}, and whether taskq must close it. */
export interface OwnedConnection {
  /** The connected (or connecting) client. */
  readonly client: RedisClient;
  /** True when taskq created the client and so closes it. */
  readonly owned: boolean;
}

/** `TASKQ_REDIS_URL`, else `REDIS_URL`, else the local default. */
export function defaultRedisUrl(): string {
  return process.env.TASKQ_REDIS_URL || process.env.REDIS_URL || "redis://127.0.0.1:6379";
}

/**
 * Turns the `connection` option into an ioredis client, and remembers whether taskq made it (and so must
 * close it). A client taskq makes speaks RESP2 unless the options ask otherwise, and swallows its own
 * reconnect errors (commands fail on their own instead); `extra` ioredis options apply to it, never to a
 * client passed in.
 */
export function connect(options: ConnectionOptions | undefined, extra: RedisOptions = {}): OwnedConnection {
  if (options instanceof Redis || options instanceof Cluster) return { client: options, owned: false };
  const client = create(options, extra);
  // ioredis reconnects by itself and every command issued meanwhile fails or waits on its own;
  // without a listener it would also print each failed reconnect as an "unhandled error event".
  client.on("error", () => undefined);
  return { client, owned: true };
}

/**
 * RESP2 unless the caller asks otherwise: ioredis 6 defaults to RESP3, whose reply parsing costs about
 * 35 µs more per command here (a ping: 74 µs against 40 µs), and taskq uses nothing RESP3 adds.
 */
const DEFAULTS: RedisOptions = { protocol: 2 };

function create(options: Exclude<ConnectionOptions, Redis | Cluster> | undefined, extra: RedisOptions): RedisClient {
  if (options === undefined || typeof options === "string") return fromUrl(options ?? defaultRedisUrl(), { ...DEFAULTS, ...extra });
  if ("cluster" in options) return new Cluster(options.cluster, { redisOptions: { ...DEFAULTS, ...options.options, ...extra } });
  if ("url" in options) {
    const { url, ...rest } = options;
    return fromUrl(url, { ...DEFAULTS, ...rest, ...extra });
  }
  const client = new Redis({ ...DEFAULTS, ...options, ...extra });
  closeOnRefusedDatabase(client);
  return client;
}

/** A client of a URL whose database (`/3`) is checked, and honoured or refused, never silently 0. */
function fromUrl(url: string, options: RedisOptions): Redis {
  assertUrlDatabase(url);
  const client = new Redis(url, options);
  closeOnRefusedDatabase(client);
  return client;
}

/**
 * A second connection to the same server(s), for blocking reads and pub/sub, which would otherwise
 * stall the commands queued behind them.
 */
export function duplicate(client: RedisClient, extra: RedisOptions = {}): RedisClient {
  const copy =
    client instanceof Cluster ? client.duplicate(undefined, { redisOptions: { ...client.options.redisOptions, ...extra } }) : client.duplicate(extra);
  copy.on("error", () => undefined);
  return copy;
}
