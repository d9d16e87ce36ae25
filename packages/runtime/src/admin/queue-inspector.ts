import { DEFAULT_PREFIX, parseQueueLabel, queueLabel } from "../queue-definition.js";
import { DeadLetterQueue } from "../client/dead-letter-queue.js";
import { ConfigError, TaskqError } from "../errors.js";
import type { WorkerStatus } from "../monitor/monitor.js";
import type { Priority } from "../options.js";
import { connect, type OwnedConnection, type RedisClient } from "../redis/connection.js";
import { assertJobId, assertName } from "../redis/keys.js";
import { assertShards } from "../redis/shards.js";
import { locateJob } from "./locate-job.js";
import { cancelJob, retryJob, setJobPriority, type ActionResult } from "./job-actions.js";
import type { JobDetail } from "./job-record.js";
import { jobExists } from "../store/index.js";
import { listJobs, type ListJobsOptions } from "./list-jobs.js";
import type { QueueRef } from "./queue-discovery.js";
import { QueueDirectory } from "./queue-directory.js";
import { jobLister } from "./job-lister.js";
import { pageAcrossQueues } from "./queue-pages.js";
import { pageLimit } from "../client/page-limit.js";
import { shardKeys } from "../redis/keys.js";
import type { DeadJob } from "../client/dead-letter-queue.js";
import { HISTORY_MINUTES, readJobHistory, type JobHistory } from "./job-history.js";
import { readQueueStats, type QueueStats } from "./queue-stats.js";
import type { JobSummary } from "./job-record.js";
import { ScheduleStore, type ScheduleInfo } from "../scheduler/schedule-store.js";
import { readJobDetail } from "./read-job-detail.js";
import type { DeadJobPageQuery, JobPageOptions, Page, QueueInspectorOptions, QueueSelector } from "./queue-inspector-options.js";

export type { QueueInspectorOptions, QueueSelector, JobPageOptions, DeadJobPageQuery, Page } from "./queue-inspector-options.js";

/**
 * The operator's view of taskq: what is in each queue, which workers are alive, every detail of one
 * job, and the few actions that fix things (cancel, retry, reprioritise, the dead-letter queue). The
 * CLI, the REST API and the dashboard all go through it; it reads Redis and changes state only
 * through the runtime's scripts, so every action is atomic and races safely with workers.
 */
export class QueueInspector {
  private readonly connection: OwnedConnection;
  private readonly directory: QueueDirectory;

  constructor(private readonly options: QueueInspectorOptions = {}) {
    if (options.prefix !== undefined) assertName("prefix", options.prefix);
    const given = options.queues?.map((q) => {
      assertName("queue", q.name);
      if (q.prefix !== undefined) assertName("prefix", q.prefix);
      assertShards(q.name, q.shards ?? 1);
      return { name: q.name, prefix: q.prefix ?? DEFAULT_PREFIX, ...(q.shards === undefined ? {} : { shards: q.shards }) };
    });
    // Connects last: a refused option leaves no connection open.
    this.connection = connect(options.connection);
    this.directory = new QueueDirectory(this.connection.client, given, options.prefix, options.discoveryFreshMs ?? 2_000);
  }

  /** The ioredis client the inspector reads with. */
  get redis(): RedisClient {
    return this.connection.client;
  }

  /** The queues shown: the given ones, else those found in Redis (at most `discoveryFreshMs` ago). */
  async queues(): Promise<QueueRef[]> {
    return this.directory.all();
  }

  /**
   * A queue by prefix and name (see {@link QueueSelector}). A name held under several prefixes is
   * refused with `E_AMBIGUOUS`, naming them; one not (yet) in Redis is taken to be under the given
   * prefix, else the inspector's `prefix`, else the default one.
   */
  async queue(selector: QueueSelector): Promise<QueueRef> {
    const wanted =
      typeof selector === "string" ? parseQueueLabel(selector, this.options.prefix) : { name: selector.name, prefix: selector.prefix ?? this.options.prefix };
    assertName("queue", wanted.name);
    if (wanted.prefix !== undefined) assertName("prefix", wanted.prefix);
    const found = await this.directory.find(wanted.name, wanted.prefix);
    if (found.length > 1) {
      throw new TaskqError(
        "E_AMBIGUOUS",
        `queue ${wanted.name} exists under ${found.length} prefixes: say which, as ${found.map((q) => `${q.prefix}:${q.name}`).join(" or ")}`,
      );
    }
    return found[0] ?? { name: wanted.name, prefix: wanted.prefix ?? DEFAULT_PREFIX };
  }

  /** The queues a page reads: one queue, or every queue shown (under `prefix` when given). */
  private async pageQueues(queue: string | undefined, prefix: string | undefined): Promise<QueueRef[]> {
    if (queue !== undefined) return [await this.queue(prefix === undefined ? queue : { ...parseQueueLabel(queue, prefix) })];
    if (prefix !== undefined) assertName("prefix", prefix);
    const all = await this.queues();
    return prefix === undefined ? all : all.filter((q) => q.prefix === prefix);
  }

  /** One page of jobs of a state: queue after queue, each in its list order; reads only what the page shows. */
  async pageJobs(options: JobPageOptions): Promise<Page<JobSummary>> {
    const limit = pageLimit(options.limit);
    const queues = await this.pageQueues(options.queue, options.prefix);
    const page = await pageAcrossQueues(this.redis, queues, limit, options.cursor, jobLister(this.redis, options.state, options.name));
    return { jobs: page.items, nextCursor: page.nextCursor };
  }

  /** One page of dead jobs: queue after queue, newest death first in each; reads only what the page shows. */
  async pageDeadJobs(options: DeadJobPageQuery = {}): Promise<Page<DeadJob>> {
    const limit = pageLimit(options.limit);
    const queues = await this.pageQueues(options.queue, options.prefix);
    const page = await pageAcrossQueues(this.redis, queues, limit, options.cursor, {
      sizeKeys: (q) => shardKeys(q.prefix, q.name, q.shards).map((k) => ({ key: k.dead, type: "zset" as const })),
      read: async (q, from, want) => {
        const { jobs, next } = await new DeadLetterQueue(this.redis, q.name, q.prefix, q.shards).page({ name: options.name, limit: want, from });
        return { items: jobs, next };
      },
    });
    return { jobs: page.items, nextCursor: page.nextCursor };
  }

  /** Counts by state, waiting jobs by priority, and live and dead workers, per queue shown. */
  async stats(): Promise<QueueStats[]> {
    return (await readQueueStats(this.redis, await this.queues(), this.deadAfterMs)).stats;
  }

  /** Jobs completed, attempts failed and jobs dead-lettered per minute, the last `minutes` (1 to 60; Default: 60), of every queue shown or of one. */
  async history(options: { queue?: string; minutes?: number } = {}): Promise<JobHistory> {
    const minutes = options.minutes ?? HISTORY_MINUTES;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > HISTORY_MINUTES)
      throw new ConfigError(`minutes must be a whole number from 1 to ${HISTORY_MINUTES}, got ${String(minutes).slice(0, 20)}`);
    const queues = options.queue === undefined ? await this.queues() : [await this.queue(options.queue)];
    return readJobHistory(this.redis, queues, minutes);
  }

  /** Live and dead workers of every queue shown, with the jobs each holds. */
  async workers(): Promise<WorkerStatus[]> {
    return (await readQueueStats(this.redis, await this.queues(), this.deadAfterMs)).workers;
  }

  /**
   * Jobs of one queue in one state, a page at a time, in the order an operator reads them: waiting jobs
   * next-to-run first, delayed jobs soonest due first, active jobs by lease expiry, completed and dead
   * jobs newest first.
   */
  async listJobs(queue: QueueSelector, options: ListJobsOptions): Promise<JobSummary[]> {
    return listJobs(this.redis, await this.queue(queue), options);
  }

  /** One job with its payload, result, errors and logs; undefined when it does not exist (or expired). */
  async getJob(queue: QueueSelector, id: string): Promise<JobDetail | undefined> {
    assertJobId(id);
    const ref = await this.queue(queue);
    return readJobDetail(this.redis, ref, id);
  }

  /**
   * Finds a job by id. Ids are per queue, so without `queue` every queue is searched (under `prefix`
   * when given); when the id exists in several, `E_AMBIGUOUS` names them by prefix and name.
   */
  async findJob(id: string, queue?: QueueSelector, prefix?: string): Promise<JobDetail | undefined> {
    if (queue !== undefined) return this.getJob(typeof queue === "string" && prefix !== undefined ? parseQueueLabel(queue, prefix) : queue, id);
    assertJobId(id);
    // One existence check per queue first (its record, or a pending job's data entry): only the
    // queues holding the id are read whole.
    const queues = await this.pageQueues(undefined, prefix);
    const holds = await Promise.all(queues.map(async (q) => jobExists(this.redis, await locateJob(this.redis, q, id), id)));
    const found = (await Promise.all(queues.filter((_, i) => holds[i]).map((q) => readJobDetail(this.redis, q, id)))).filter((j) => j !== undefined);
    if (found.length > 1) {
      throw new TaskqError(
        "E_AMBIGUOUS",
        `job ${id} exists in queues ${found.map((j) => queueLabel({ prefix: j.prefix, name: j.queue })).join(", ")}: say which queue (prefix:name)`,
      );
    }
    return found[0];
  }

  /** Cancels a job that has not started (waiting, delayed or blocked); its record is kept `keepResultMs`. */
  async cancel(queue: QueueSelector, id: string): Promise<ActionResult> {
    assertJobId(id);
    return cancelJob(this.redis, await this.queue(queue), id, this.options.keepResultMs ?? 86_400_000);
  }

  /** Puts a dead job back in its wait list with fresh attempts, or runs a delayed job now. */
  async retry(queue: QueueSelector, id: string): Promise<ActionResult> {
    assertJobId(id);
    return retryJob(this.redis, await this.queue(queue), id);
  }

  /** Changes the priority of a job that has not started. */
  async setPriority(queue: QueueSelector, id: string, priority: Priority): Promise<ActionResult> {
    assertJobId(id);
    return setJobPriority(this.redis, await this.queue(queue), id, priority);
  }

  /** Every schedule of the queues shown, with its next firing; `rediscover` looks for queues made since the last discovery. */
  async schedules(options: { rediscover?: boolean } = {}): Promise<ScheduleInfo[]> {
    const queues = options.rediscover ? await this.directory.rediscover() : await this.queues();
    const lists = await Promise.all(queues.map((q) => new ScheduleStore(this.redis, q.name, q.prefix).list()));
    return lists.flat();
  }

  /**
   * The schedules of id `id`: in one queue (`name` or `prefix:name`, the name under `prefix` when
   * given), else in every queue shown (under `prefix` when given). Schedule ids are per queue, so an
   * id may be in several: the caller refuses that as ambiguous, naming them by prefix and name. A queue
   * made since the last discovery is looked for once more before nothing is returned.
   */
  async findSchedules(id: string, where: { queue?: string; prefix?: string } = {}): Promise<ScheduleInfo[]> {
    const label = where.queue === undefined ? undefined : parseQueueLabel(where.queue, where.prefix);
    const prefix = label ? label.prefix : where.prefix;
    if (prefix !== undefined) assertName("prefix", prefix);
    const owned = (schedules: ScheduleInfo[]) =>
      schedules.filter((s) => s.id === id && (!label || s.queue === label.name) && (prefix === undefined || s.prefix === prefix));
    const found = owned(await this.schedules());
    // Queues are discovered once every few seconds: a schedule of a queue made since is looked for once more.
    return found.length > 0 ? found : owned(await this.schedules({ rediscover: true }));
  }

  /** Removes a schedule (jobs it already enqueued stay); returns whether it existed. */
  async removeSchedule(queue: QueueSelector, id: string): Promise<boolean> {
    const ref = await this.queue(queue);
    return new ScheduleStore(this.redis, ref.name, ref.prefix).remove(id);
  }

  /** The dead-letter queue of one queue, across its shards. */
  async deadLetterQueue(queue: QueueSelector): Promise<DeadLetterQueue> {
    const ref = await this.queue(queue);
    return new DeadLetterQueue(this.redis, ref.name, ref.prefix, ref.shards);
  }

  /** Closes the connection when the inspector made it (never a client passed in). */
  async close(): Promise<void> {
    if (!this.connection.owned) return;
    // QUIT would wait for an unreachable Redis to come back (`taskq serve` stopping in an outage).
    if (this.redis.status === "ready") await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private get deadAfterMs(): number {
    return this.options.deadAfterMs ?? 10_000;
  }
}
