/**
 * The operator's view of taskq: what is in each queue, which workers are alive, every detail of one
 * job, and the few actions that fix things (cancel, retry, reprioritise, the dead-letter queue). The
 * CLI, the REST API and the dashboard all go through it; it reads Redis and changes state only
 * through the runtime's scripts.
 */
import { DeadLetterQueue } from "../client/dead-letter-queue.js";
import { TaskqError } from "../errors.js";
import type { WorkerStatus } from "../monitor/monitor.js";
import type { Priority } from "../options.js";
import { connect, type ConnectionOptions, type OwnedConnection, type RedisClient } from "../redis/connection.js";
import { assertJobId, assertName } from "../redis/keys.js";
import { assertShards } from "../redis/shards.js";
import { locateJob } from "./locate-job.js";
import { cancelJob, retryJob, setJobPriority, type ActionResult } from "./job-actions.js";
import { SUMMARY_FIELDS, toDetail, toSummary, type JobDetail } from "./job-record.js";
import { listJobs, type ListJobsOptions } from "./list-jobs.js";
import { discoverQueues, type QueueRef } from "./queue-discovery.js";
import { readQueueStats, type QueueStats } from "./queue-stats.js";
import type { JobSummary } from "./job-record.js";
import { ScheduleStore, type ScheduleInfo } from "../scheduler/schedule-store.js";

export interface QueueInspectorOptions {
  /** Where Redis is: anything `connection` takes, or a client to share (not closed by `close()`). (Default: `TASKQ_REDIS_URL`, else `REDIS_URL`, else `redis://127.0.0.1:6379`) */
  connection?: ConnectionOptions | RedisClient;
  /** The queues to show, with their number of shards (Default: 1). (Default: every queue found by scanning Redis, see `discoverQueues`) */
  queues?: Array<{ name: string; prefix?: string; shards?: number }>;
  /** With discovery, only queues under this key prefix. (Default: every prefix) */
  prefix?: string;
  /** Silence after which a worker counts as dead. (Default: 10 000 ms) */
  deadAfterMs?: number;
  /** How long a cancelled job's record is kept. (Default: 24 h) */
  keepResultMs?: number;
}

export class QueueInspector {
  private readonly connection: OwnedConnection;
  private readonly given: QueueRef[] | undefined;

  constructor(private readonly options: QueueInspectorOptions = {}) {
    if (options.prefix !== undefined) assertName("prefix", options.prefix);
    this.given = options.queues?.map((q) => {
      assertName("queue", q.name);
      if (q.prefix !== undefined) assertName("prefix", q.prefix);
      assertShards(q.name, q.shards ?? 1);
      return { name: q.name, prefix: q.prefix ?? "taskq", ...(q.shards === undefined ? {} : { shards: q.shards }) };
    });
    // Connects last: a refused option leaves no connection open.
    this.connection = connect(options.connection as ConnectionOptions | undefined);
  }

  get redis(): RedisClient {
    return this.connection.client;
  }

  /** The queues shown: the given ones, else those found in Redis now. */
  async queues(): Promise<QueueRef[]> {
    return this.given ?? discoverQueues(this.redis, this.options.prefix);
  }

  /** A queue by name; one that is not (yet) in Redis is taken to be under the default prefix. */
  async queue(name: string): Promise<QueueRef> {
    assertName("queue", name);
    const known = (await this.queues()).find((q) => q.name === name);
    return known ?? { name, prefix: this.options.prefix ?? "taskq" };
  }

  async stats(): Promise<QueueStats[]> {
    return (await readQueueStats(this.redis, await this.queues(), this.deadAfterMs)).stats;
  }

  /** Live and dead workers of every queue shown, with the jobs each holds. */
  async workers(): Promise<WorkerStatus[]> {
    return (await readQueueStats(this.redis, await this.queues(), this.deadAfterMs)).workers;
  }

  async listJobs(queue: string, options: ListJobsOptions): Promise<JobSummary[]> {
    return listJobs(this.redis, await this.queue(queue), options);
  }

  /** One job with its payload, result, errors and logs; undefined when it does not exist (or expired). */
  async getJob(queue: string, id: string): Promise<JobDetail | undefined> {
    assertJobId(id);
    const ref = await this.queue(queue);
    const k = await locateJob(this.redis, ref, id);
    const [[, fields], [, hash], [, payload], [, errors], [, logs]] = (await this.redis
      .multi()
      .hmget(k.job(id), ...SUMMARY_FIELDS)
      .hgetall(k.job(id))
      // As bytes: a binary payload (msgpack, compressed) would not survive a text reply.
      .hgetBuffer(`${k.base}data`, id)
      .lrange(k.errors(id), 0, -1)
      .lrange(`${k.base}logs:${id}`, 0, -1)
      .exec()) as Array<[Error | null, any]>;
    const summary = toSummary(ref.name, id, fields);
    return summary && toDetail(summary, hash, payload, errors, logs);
  }

  /**
   * Finds a job by id. Ids are per queue, so without `queue` every queue is searched; when the id
   * exists in several, `E_AMBIGUOUS` names them.
   */
  async findJob(id: string, queue?: string): Promise<JobDetail | undefined> {
    if (queue !== undefined) return this.getJob(queue, id);
    const found = (await Promise.all((await this.queues()).map((q) => this.getJob(q.name, id)))).filter((j) => j !== undefined);
    if (found.length > 1) {
      throw new TaskqError("E_AMBIGUOUS", `job ${id} exists in queues ${found.map((j) => j.queue).join(", ")}: say which queue`);
    }
    return found[0];
  }

  async cancel(queue: string, id: string): Promise<ActionResult> {
    assertJobId(id);
    return cancelJob(this.redis, await this.queue(queue), id, this.options.keepResultMs ?? 86_400_000);
  }

  async retry(queue: string, id: string): Promise<ActionResult> {
    assertJobId(id);
    return retryJob(this.redis, await this.queue(queue), id);
  }

  async setPriority(queue: string, id: string, priority: Priority): Promise<ActionResult> {
    assertJobId(id);
    return setJobPriority(this.redis, await this.queue(queue), id, priority);
  }

  /** Every schedule of the queues shown, with its next firing. */
  async schedules(): Promise<ScheduleInfo[]> {
    const lists = await Promise.all((await this.queues()).map((q) => new ScheduleStore(this.redis, q.name, q.prefix).list()));
    return lists.flat();
  }

  /** Removes a schedule (jobs it already enqueued stay); returns whether it existed. */
  async removeSchedule(queue: string, id: string): Promise<boolean> {
    const ref = await this.queue(queue);
    return new ScheduleStore(this.redis, ref.name, ref.prefix).remove(id);
  }

  async deadLetterQueue(queue: string): Promise<DeadLetterQueue> {
    const ref = await this.queue(queue);
    return new DeadLetterQueue(this.redis, ref.name, ref.prefix, ref.shards);
  }

  async close(): Promise<void> {
    if (this.connection.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private get deadAfterMs(): number {
    return this.options.deadAfterMs ?? 10_000;
  }
}
