/**
 * The queue runner's slot accounting, on a real redis-server: a slot is reserved before each fetch
 * (the loop's, the one queued behind the blocking read, the one a batch of completions carries) and
 * released exactly once, whatever became of the job; never more than `concurrency` jobs run; a
 * sharded queue's runners share one budget. Each scenario is driven on QueueRunners made directly
 * (no Worker, heartbeat or task manager), its counters sampled every millisecond and at every handler
 * start; then a probe of `concurrency` slow jobs shows every slot came back (all of them run at once),
 * and after `stop()` every counter is 0: a slot reserved twice or released twice would show there.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import type { JobContext } from "../src/context.js";
import type { Handler, JobDefinition, QueueRegistration } from "../src/definition.js";
import { Client } from "../src/client/client.js";
import { PermanentError } from "../src/errors.js";
import { QueueRunner } from "../src/worker/queue-runner.js";
import { SlotBudget } from "../src/worker/slot-budget.js";
import { tweetJob, uniquePrefix, type Posted, type Tweet } from "./fixtures.js";

let server: TestRedis;
let redis: Redis;
let client: Client;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  client = new Client({ connection: server.url });
});

afterAll(async () => {
  await client?.close();
  redis?.disconnect();
  await server?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Finished {
  id: string;
  kind: string;
  accepted: boolean;
  shard: number;
}

/** A runner's counters once it holds nothing. */
const idle = { running: 0, settled: 0, reserved: 0 };

/**
 * Runners of one queue (one per shard, sharing a SlotBudget when there are several), the queue's
 * handler wrapped to count the handlers in flight, and the invariants checked on every sample.
 */
class Harness {
  readonly runners: QueueRunner[] = [];
  readonly finished: Finished[] = [];
  readonly errors: Error[] = [];
  readonly violations: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Probe jobs started so far (see `probe`). */
  probesStarted = 0;
  maxReserved = 0;
  private readonly blocking: Redis[] = [];
  private readonly sampler: NodeJS.Timeout;

  constructor(
    readonly definition: JobDefinition<Tweet, Posted>,
    readonly concurrency: number,
    handler: (payload: Tweet, ctx: JobContext, harness: Harness) => Promise<Posted>,
  ) {
    const shards = definition.queue.shards ?? 1;
    const wrapped: Handler<Tweet, Posted> = async (payload, ctx) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      this.check();
      try {
        return await handler(payload, ctx, this);
      } finally {
        this.inFlight--;
      }
    };
    const queue: QueueRegistration = {
      ...definition.queue,
      concurrency,
      jobs: { [definition.name]: { definition, handler: wrapped } },
    };
    const budget = shards > 1 ? new SlotBudget(concurrency) : undefined;
    for (let index = 0; index < shards; index++) {
      const blocking = redis.duplicate({ maxRetriesPerRequest: null, disconnectTimeout: 20 });
      blocking.on("error", () => undefined);
      this.blocking.push(blocking);
      const runner = new QueueRunner(
        queue,
        concurrency,
        redis,
        blocking,
        `w-${definition.queue.prefix}`,
        30_000,
        {
          finished: (job, outcome, accepted) => this.finished.push({ id: job.id, kind: outcome.kind, accepted, shard: index }),
          error: (error) => this.errors.push(error),
        },
        { index, of: shards, budget },
      );
      budget?.join(runner);
      this.runners.push(runner);
    }
    this.sampler = setInterval(() => this.check(), 1);
    for (const runner of this.runners) runner.start();
  }

  /** The invariants of the slot accounting, across the queue's runners. */
  check(): void {
    let unsettled = 0;
    let reserved = 0;
    for (const [i, runner] of this.runners.entries()) {
      const slots = runner.slots;
      if (slots.reserved < 0) this.violations.push(`shard ${i}: reserved ${slots.reserved}`);
      if (slots.settled < 0 || slots.settled > slots.running) this.violations.push(`shard ${i}: settled ${slots.settled} of ${slots.running}`);
      unsettled += slots.running - slots.settled;
      reserved += slots.reserved;
    }
    this.maxReserved = Math.max(this.maxReserved, reserved);
    // Jobs whose completion has not landed hold a slot each; slots promised to fetches never exceed
    // what the queue has (a fetch queued behind the blocking read reserving on top of the loop's
    // would); handlers never outnumber the slots.
    if (unsettled > this.concurrency) this.violations.push(`${unsettled} unsettled jobs, concurrency ${this.concurrency}`);
    if (reserved > this.concurrency) this.violations.push(`${reserved} slots reserved, concurrency ${this.concurrency}`);
    if (this.inFlight > this.concurrency) this.violations.push(`${this.inFlight} handlers in flight, concurrency ${this.concurrency}`);
  }

  enqueue(contents: string[], options: { delayMs?: number } = {}) {
    return Promise.all(contents.map((content) => client.enqueue(this.definition, { content }, options)));
  }

  async settle(count: number, timeout = 20_000): Promise<void> {
    await expect.poll(() => this.finished.length, { timeout, interval: 10 }).toBeGreaterThanOrEqual(count);
    await expect.poll(() => this.inFlight, { timeout }).toBe(0);
  }

  /**
   * `concurrency` jobs that each wait until all of them are running: they finish only if every slot
   * came back. A leaked reservation would leave them one short, and they would hang until the poll
   * gives up.
   */
  async probe(): Promise<void> {
    const before = this.finished.length;
    this.maxInFlight = 0;
    this.probesStarted = 0;
    await this.enqueue(Array.from({ length: this.concurrency }, (_, i) => `probe-${i}`));
    await this.settle(before + this.concurrency);
    expect(this.maxInFlight).toBe(this.concurrency);
  }

  async stop(deadlineMs = 2_000): Promise<void> {
    try {
      await Promise.all(this.runners.map((runner) => runner.stop(Date.now() + deadlineMs, 500)));
    } finally {
      clearInterval(this.sampler);
      for (const b of this.blocking) b.disconnect();
    }
  }

  /** Every counter of every runner, for the check that nothing is held once stopped. */
  get slots() {
    return this.runners.map((runner) => runner.slots);
  }

  /**
   * Runs `scenario`, stops the runners (with `deadlineMs` for their jobs) whatever became of it, then
   * checks that no invariant broke on any sample and that no runner holds anything once stopped.
   */
  async run(scenario: () => Promise<void>, deadlineMs?: number): Promise<void> {
    try {
      await scenario();
    } finally {
      await this.stop(deadlineMs);
    }
    expect(this.violations).toEqual([]);
    expect(this.slots).toEqual(this.runners.map(() => idle));
  }
}

/**
 * Probe jobs (`probe-*`) wait until all `concurrency` of them have started, then complete: none ends
 * before the last one starts, so they all ran at once (or the wait gives up after 10 s and
 * `maxInFlight` tells).
 */
async function probeAware(payload: Tweet, harness: Harness): Promise<Posted | undefined> {
  if (!payload.content.startsWith("probe-")) return undefined;
  harness.probesStarted++;
  const until = Date.now() + 10_000;
  while (harness.probesStarted < harness.concurrency && Date.now() < until) await sleep(2);
  return { tweetId: payload.content };
}

describe("QueueRunner slot accounting", () => {
  it("never runs more than `concurrency` jobs, and every slot comes back", async () => {
    const definition = tweetJob(uniquePrefix());
    const h = new Harness(definition, 4, async (payload, _ctx, harness) => {
      const probe = await probeAware(payload, harness);
      if (probe) return probe;
      await sleep(Number(payload.content) % 15);
      return { tweetId: payload.content };
    });
    await h.run(async () => {
      await h.enqueue(Array.from({ length: 40 }, (_, i) => String(i)));
      await h.settle(40);
      expect(h.finished.every((f) => f.kind === "completed" && f.accepted)).toBe(true);
      expect(h.maxInFlight).toBe(4);
      await h.probe();
    });
    expect(h.errors).toEqual([]);
  });

  it("releases the slot of a failed, dead-lettered, timed-out or lease-lost job exactly once", async () => {
    const definition = tweetJob(uniquePrefix(), { attempts: 1, timeoutMs: 100 });
    const lost = new Set<string>();
    const h = new Harness(definition, 3, async (payload, ctx, harness) => {
      const probe = await probeAware(payload, harness);
      if (probe) return probe;
      const kind = payload.content.split("-")[0];
      if (kind === "throw") throw new Error("handler failed");
      if (kind === "permanent") throw new PermanentError("not worth retrying");
      if (kind === "hang" || (kind === "lost" && !lost.has(ctx.id))) {
        // Lost: as when the heartbeat finds another process took the lease back. Once: given back,
        // the job runs again and completes.
        if (kind === "lost") {
          lost.add(ctx.id);
          setTimeout(() => harness.runners[0].abortLost([ctx.id]), 10);
        }
        await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true }));
      }
      return { tweetId: payload.content };
    });
    await h.run(async () => {
      const kinds = ["throw", "permanent", "hang", "lost", "ok"];
      await h.enqueue(kinds.flatMap((kind) => [1, 2, 3].map((i) => `${kind}-${i}`)));
      // The 3 lost jobs finish twice: released, then completed when they run again.
      await h.settle(18);
      const byKind = (kind: string) => h.finished.filter((f) => f.kind === kind).length;
      expect(byKind("dead")).toBe(9);
      expect(byKind("release")).toBe(3);
      expect(byKind("completed")).toBe(6);
      expect(h.finished.every((f) => f.accepted)).toBe(true);
      await h.probe();
    });
  });

  it("reserves the fetch queued behind the blocking read once, on an empty queue and when a delayed job comes due", async () => {
    const definition = tweetJob(uniquePrefix());
    const h = new Harness(definition, 3, async (payload, _ctx, harness) => (await probeAware(payload, harness)) ?? { tweetId: payload.content });
    await h.run(async () => {
      // Idle: the loop's empty fetch released its slots, and the fetch behind the blocking read holds
      // the queue's 3, not 6.
      await expect.poll(() => h.runners[0].slots, { timeout: 5_000 }).toEqual({ running: 0, settled: 0, reserved: 3 });
      expect(h.runners[0].waiting).toBe(false);
      // A delayed job due while blocked: the runner's own timer wakes the read, the queued fetch takes it.
      const enqueuedAt = Date.now();
      await h.enqueue(["later"], { delayMs: 300 });
      await h.settle(1);
      expect(Date.now() - enqueuedAt).toBeGreaterThanOrEqual(300);
      // A burst into the idle queue: the queued fetch takes 3, the loop the rest as slots free up.
      await h.enqueue(Array.from({ length: 9 }, (_, i) => `burst-${i}`));
      await h.settle(10);
      await h.probe();
      // Idle again. The fetch now queued behind the read holds the slots that were free when it was
      // sent: all 3, or fewer (none) when the read began while the burst's last jobs still ran (their
      // slots then wait for the read's answer, and the loop's next fetch takes them). Never more than 3.
      await expect.poll(() => h.runners[0].slots, { timeout: 5_000 }).toMatchObject({ running: 0, settled: 0 });
      expect(h.runners[0].slots.reserved).toBeLessThanOrEqual(3);
    });
    expect(h.maxReserved).toBe(3);
  });

  it("splits a sharded queue's slots through its SlotBudget", async () => {
    const definition = tweetJob(uniquePrefix(), { shards: 2 });
    const h = new Harness(definition, 3, async (payload, _ctx, harness) => {
      const probe = await probeAware(payload, harness);
      if (probe) return probe;
      await sleep(10);
      return { tweetId: payload.content };
    });
    await h.run(async () => {
      await h.enqueue(Array.from({ length: 30 }, (_, i) => String(i)));
      await h.settle(30);
      expect(h.maxInFlight).toBe(3);
      // Both shards got jobs and ran them, within the one budget of 3.
      expect(new Set(h.finished.map((f) => f.shard))).toEqual(new Set([0, 1]));
      await h.probe();
    });
  });

  it("releases slots through batched completions, which lease the next jobs in the same call", async () => {
    const definition = tweetJob(uniquePrefix());
    const evalCalls = async () => {
      const stats = await redis.info("commandstats");
      return [...stats.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    const h = new Harness(definition, 60, async (payload, _ctx, harness) => (await probeAware(payload, harness)) ?? { tweetId: payload.content });
    await h.run(async () => {
      await expect.poll(() => h.runners[0].slots.reserved, { timeout: 5_000 }).toBe(60);
      const before = await evalCalls();
      // One bulk enqueue (a script call per 1,000 jobs at most), so the calls counted are the runner's.
      await client.enqueueBulk(
        definition,
        Array.from({ length: 300 }, (_, i) => ({ payload: { content: String(i) } })),
      );
      await h.settle(300);
      const calls = (await evalCalls()) - before;
      expect(h.finished.every((f) => f.kind === "completed" && f.accepted)).toBe(true);
      // One script call per completion would be 300, plus the fetches: completions went in batches
      // (of up to 30 at this concurrency, two calls in flight at most), each also leasing the jobs for
      // the slots it freed, so no fetch of its own was needed for them.
      console.log(`300 jobs at concurrency 60: ${calls} script calls`);
      expect(calls).toBeLessThan(60);
      await h.probe();
    });
  });

  it("stops with jobs in flight: finishing ones complete, the rest go back to the queue, no slot held", async () => {
    const definition = tweetJob(uniquePrefix());
    const h = new Harness(definition, 2, async (payload, ctx) => {
      if (payload.content === "quick") {
        await sleep(100);
        return { tweetId: "quick" };
      }
      await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true }));
      return { tweetId: "never" };
    });
    let handles!: Awaited<ReturnType<Harness["enqueue"]>>;
    await h.run(async () => {
      handles = await h.enqueue(["quick", "stuck", "queued-1", "queued-2"]);
      await expect.poll(() => h.inFlight).toBe(2);
    }, 300);
    // "quick" finished before the deadline; "stuck" was aborted at it and given back, its attempt not
    // counted; the queued ones were never leased (a stopping runner's completion leases nothing).
    expect(h.finished.map((f) => [f.kind, f.accepted])).toEqual([
      ["completed", true],
      ["release", true],
    ]);
    expect(await handles[0].state()).toBe("completed");
    const states = await Promise.all(handles.slice(1).map((handle) => handle.state()));
    expect(states.every((s) => s === "waiting")).toBe(true);
  });
});
