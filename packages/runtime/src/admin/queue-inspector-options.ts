/** What QueueInspector's methods take, and the page its paged reads give back (see queue-inspector.ts). */
import type { ConnectionOptions, RedisClient } from "../redis/connection.js";
import type { ListableState } from "./list-jobs.js";

/** Options of `new QueueInspector(options)`. */
export interface QueueInspectorOptions {
  /** Where Redis is: anything `connection` takes, or a client to share (not closed by `close()`). (Default: `TASKQ_REDIS_URL`, else `REDIS_URL`, else `redis://127.0.0.1:6379`) */
  connection?: ConnectionOptions | RedisClient;
  /** The queues to show, with their number of shards (Default: 1). (Default: every queue found by scanning Redis, see `discoverQueues`) */
  queues?: Array<{
    /** The queue's name. */
    name: string;
    /** Its Redis key prefix. (Default: "taskq") */
    prefix?: string;
    /** Its number of shards. (Default: 1) */
    shards?: number;
  }>;
  /** With discovery, only queues under this key prefix. (Default: every prefix) */
  prefix?: string;
  /** Silence after which a worker counts as dead. (Default: 10 000 ms) */
  deadAfterMs?: number;
  /** How long a cancelled job's record is kept. (Default: 24 h) */
  keepResultMs?: number;
  /** How long one discovery of the queues (a SCAN of the keyspace) is used before the next. (Default: 2 000 ms) */
  discoveryFreshMs?: number;
}

/**
 * A queue as an operator names it: its name (`"mail"`, or `"prefix:mail"`), or `{ name, prefix }`.
 * A name alone is looked up under every prefix shown: found under two, it is refused as ambiguous
 * (`E_AMBIGUOUS`) rather than taken from one of them; found under none, it is the default prefix's.
 */
export type QueueSelector =
  | string
  | {
      /** The queue's name. */
      readonly name: string;
      /** Its Redis key prefix. (Default: looked up under every prefix shown) */
      readonly prefix?: string;
    };

/** A page of jobs of one state, across queues (or of one), and the cursor of the next page. */
export interface JobPageOptions {
  /** The state whose jobs are listed. */
  state: ListableState;
  /** Only this queue (`name` or `prefix:name`). (Default: every queue shown) */
  queue?: string;
  /** Only jobs of this job name: each page then looks at 5 000 entries per queue at most, and may come back short with a `nextCursor`. (Default: every name) */
  name?: string;
  /** Only queues under this key prefix. (Default: every prefix shown) */
  prefix?: string;
  /** At most this many, 1 to 1 000. (Default: 50) */
  limit?: number;
  /** The `nextCursor` of the page before. (Default: the first page) */
  cursor?: string;
}

/** A page of dead jobs, across queues (or of one), newest death first within each queue. */
export interface DeadJobPageQuery {
  /** Only this queue (`name` or `prefix:name`). (Default: every queue shown) */
  queue?: string;
  /** Only queues under this key prefix. (Default: every prefix shown) */
  prefix?: string;
  /** Only jobs of this job name. */
  name?: string;
  /** At most this many, 1 to 1 000. (Default: 50) */
  limit?: number;
  /** The `nextCursor` of the page before. (Default: the first page) */
  cursor?: string;
}

/** Items, and the cursor of the next page (undefined at the end). */
export interface Page<T> {
  /** This page's jobs. */
  jobs: T[];
  /** Pass back as `cursor` for the next page; undefined after the last one. */
  nextCursor?: string;
}
