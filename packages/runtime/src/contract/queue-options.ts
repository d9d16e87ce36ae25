import type { Assert, ListsEvery } from "./exhaustive.js";

/** How a queue's payloads may be stored (see {@link QueueOptions.serializer}). */
export const SERIALIZERS = ["json", "msgpack"] as const;
/** Where a queue's handlers may run (see {@link QueueOptions.pool}). */
export const POOLS = ["threads"] as const;

/** Options of `@Queue(name, options)`. */
export interface QueueOptions {
  /** Jobs of this queue run at once per worker process. (Default: 1) */
  concurrency?: number;
  /** Redis key prefix. (Default: "taskq") */
  prefix?: string;
  /**
   * How the priorities share the workers: weights from critical to batch, served weighted-fair, or
   * "strict" (always the most urgent first). (Default: [16, 8, 4, 2, 1])
   */
  priorities?: "strict" | [number, number, number, number, number];
  /** "threads": run the handlers in worker_threads, for CPU-heavy jobs. (Default: the worker's own thread) */
  pool?: (typeof POOLS)[number];
  /**
   * Split the queue into this many key sets, each under its own Redis Cluster hash tag, so one hot
   * queue can use several masters. Workers fetch from every shard within the queue's concurrency.
   * Jobs of a sharded queue take no `rateLimit` (each shard would count on its own). (Default: 1)
   */
  shards?: number;
  /**
   * How payloads are stored: "msgpack" (MessagePack, binary, smaller) or "json" (readable in Redis).
   * Results stay JSON. Workers read either, so the setting can change with jobs in the queue. (Default: "json")
   */
  serializer?: (typeof SERIALIZERS)[number];
  /** Compress (Brotli) a serialized payload larger than this many bytes. (Default: never) */
  compressAboveBytes?: number;
}

/** Every key of {@link QueueOptions}. */
export const QUEUE_OPTION_KEYS = ["concurrency", "prefix", "priorities", "pool", "shards", "serializer", "compressAboveBytes"] as const;
type _QueueOptionKeys = Assert<ListsEvery<keyof QueueOptions, typeof QUEUE_OPTION_KEYS>>;

/** Jobs run at once per worker process for a queue that sets no `concurrency`. */
export const DEFAULT_CONCURRENCY = 1;
/** Most shards of one queue: shard ids and hash tags are laid out for at most this many. */
export const MAX_SHARDS = 64;
