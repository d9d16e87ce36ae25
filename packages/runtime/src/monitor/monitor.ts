import { connect, type ConnectionOptions, type OwnedConnection, type RedisClient } from "../redis/connection.js";
import { DEFAULT_PREFIX, queueLabel } from "../queue-definition.js";
import { assertName, shardKeys } from "../redis/keys.js";
import { LEASE_SCORES, leaseHolder } from "../store/index.js";

/** Options of `new Monitor(options)`. */
export interface MonitorOptions {
  /** Where Redis is; a client passed in is used but not closed. (Default: {@link defaultRedisUrl}) */
  connection?: ConnectionOptions | RedisClient;
  /** The queues whose workers to report, with their key prefix and number of shards (Default: 1). */
  queues: Array<{
    /** The queue's name. */
    name: string;
    /** Its Redis key prefix. (Default: "taskq") */
    prefix?: string;
    /** Its number of shards. (Default: 1) */
    shards?: number;
  }>;
  /** Silence after which a worker is dead. (Default: 10 000 ms) */
  deadAfterMs?: number;
}

/** One worker process as its heartbeats show it. */
export interface WorkerStatus {
  /** The worker's id, unique per process run. */
  id: string;
  /** "dead" after `deadAfterMs` without a heartbeat on every queue it serves. */
  state: "live" | "dead";
  /** The worker's host name, when it reported one. */
  host?: string;
  /** The worker's process id, when it reported one. */
  pid?: number;
  /**
   * The monitored queues it serves, each as its label: the name under the default prefix, else
   * `prefix:name` (the same name under two prefixes is two queues).
   */
  queues: string[];
  /** Jobs it runs at once, by queue label. */
  concurrency: Record<string, number>;
  /** When the worker started, when it reported it. */
  startedAt?: Date;
  /** Its latest heartbeat on any queue, on Redis time. */
  lastHeartbeat: Date;
  /** Ids of the jobs this worker holds, by queue label. */
  jobs: Record<string, string[]>;
}

/**
 * Reads the workers' heartbeats and says which are alive. A worker is dead after `deadAfterMs`
 * without a heartbeat, measured on Redis time; after an outage of Redis (see heartbeat-4.lua) every
 * worker gets a full `deadAfterMs` from the moment Redis came back before it can be declared dead.
 */
export class Monitor {
  private readonly connection: OwnedConnection;
  /** Silence after which a worker is dead, as configured. */
  readonly deadAfterMs: number;

  constructor(private readonly options: MonitorOptions) {
    for (const q of options.queues) {
      assertName("queue", q.name);
      if (q.prefix !== undefined) assertName("prefix", q.prefix);
    }
    this.connection = connect(options.connection);
    this.deadAfterMs = options.deadAfterMs ?? 10_000;
  }

  /** Every worker that heartbeats on the monitored queues, live or dead, by id. */
  async listWorkers(): Promise<WorkerStatus[]> {
    const redis = this.connection.client;
    const byId = new Map<string, WorkerStatus>();
    // A worker heartbeats on every shard of a queue it serves, and holds jobs on any of them.
    for (const q of this.options.queues)
      for (const k of shardKeys(q.prefix ?? DEFAULT_PREFIX, q.name, q.shards ?? 1)) {
        const label = queueLabel({ prefix: q.prefix ?? DEFAULT_PREFIX, name: q.name });
        const [[, time], [, beats], [, resumedAt], [, active]] = (await redis
          .multi()
          .time()
          .zrange(k.workers, "0", "-1", "WITHSCORES")
          .hget(k.clock, "resumedAt")
          // Every lease, not the index's anchor (store/active-index.ts).
          .zrangebyscore(k.active, ...LEASE_SCORES)
          .exec()) as [[Error | null, [string, string]], [Error | null, string[]], [Error | null, string | null], [Error | null, string[]]];
        const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
        const graceFrom = Number(resumedAt ?? 0);
        const ids: string[] = [];
        for (let i = 0; i < beats.length; i += 2) ids.push(beats[i]);
        const infos = ids.length ? await redis.mget(...ids.map((id) => k.worker(id))) : [];
        // Who holds each job: its lease (store/lease.ts); a `leases` key of the wrong type shows none.
        const holders: Array<string | undefined> = active.length
          ? ((await redis.hmget(k.leases, ...active).catch(() => [])) as Array<string | null>).map((lease, j) => leaseHolder(active[j], lease))
          : [];
        ids.forEach((id, i) => {
          const last = Number(beats[2 * i + 1]);
          const dead = now - last > this.deadAfterMs && now - graceFrom > this.deadAfterMs;
          const info = infos[i] ? (JSON.parse(infos[i]) as Partial<WorkerStatus> & { startedAt?: number }) : {};
          const status = byId.get(id) ?? {
            id,
            state: dead ? "dead" : "live",
            host: info.host,
            pid: info.pid,
            queues: [],
            concurrency: {},
            startedAt: info.startedAt ? new Date(info.startedAt) : undefined,
            lastHeartbeat: new Date(last),
            jobs: {},
          };
          if (!status.queues.includes(label)) status.queues.push(label);
          status.concurrency[label] = info.concurrency?.[label] ?? info.concurrency?.[q.name] ?? 0;
          status.jobs[label] = [...(status.jobs[label] ?? []), ...active.filter((_: string, j: number) => holders[j] === id)];
          if (last > status.lastHeartbeat.getTime()) status.lastHeartbeat = new Date(last);
          if (!dead) status.state = "live";
          byId.set(id, status);
        });
      }
    return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Closes the connection when the monitor made it. */
  async close(): Promise<void> {
    if (this.connection.owned) await this.connection.client.quit().catch(() => undefined);
  }
}
