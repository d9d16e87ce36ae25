/**
 * A plain job leased from the pending form (scripts/includes/pending-job.lua): its first lease writes
 * no record, only its entry in the queue's `leases` hash (scripts/includes/lease.lua), and its
 * completion writes a record of its outcome, its own fields staying in its data entry. Readers must
 * still see the whole job, leases stay fenced, and anything that sends it back to a list must turn it
 * into a whole record first.
 */
import { describe, expect, it } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { Client, Worker } from "../src/index.js";
import type { Handler } from "../src/internal.js";
import { QueueInspector } from "../src/admin/index.js";
import { queueKeys } from "../src/redis/keys.js";
import { completeJobs, failJob, fetchJobs, heartbeat, reclaimExpired, type FetchInput } from "../src/store/index.js";
import { SINGLE, type TestTopology } from "../../../test/support/topology.js";
import { registration, tweetJob, uniquePrefix, useTopology, type Tweet } from "./fixtures.js";

describe("a job leased from the pending form", () => {
  let topo: TestTopology;
  let client: Client;
  let redis: Redis | Cluster;
  const workers = useTopology(SINGLE, (suite) => ({ topo, client, redis } = suite));

  function work(def: ReturnType<typeof tweetJob>, handler: Handler): void {
    workers.push(new Worker({ connection: topo.connection, queues: [registration(def, handler)], shutdownTimeoutMs: 2_000 }));
  }

  it("has no record while it runs, only its lease, and reads as active on its worker, then completed, with its name", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const base = `${prefix}:{social}:`;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    work(def, async (p: Tweet) => {
      started();
      await released;
      return { tweetId: p.content };
    });
    const handle = await client.enqueue(def, { content: "once" });
    await running;

    const key = `${base}job:${handle.id}`;
    expect(await redis.exists(key)).toBe(0);
    const lease = (await redis.hget(`${base}leases`, handle.id)) ?? "";
    const [token, whole, attempt, startedAt, workerId] = lease.split("|");
    expect(token).toMatch(new RegExp(`^\\d+:\\d+\\.${handle.id}$`));
    expect([whole, attempt]).toEqual(["0", "1"]);
    expect(workerId).toMatch(/.+/);
    expect((await redis.hget(`${base}data`, handle.id))?.startsWith("\x01")).toBe(true);
    expect(await handle.state()).toBe("active");
    const inspector = new QueueInspector({ connection: topo.connection, prefix });
    try {
      const active = await inspector.getJob("social", handle.id);
      expect(active).toMatchObject({ state: "active", name: "tweet", attempts: 1, payload: { content: "once" }, startedAt: new Date(Number(startedAt)) });
      expect(active?.workerId).toBe(workerId);
      expect((await inspector.listJobs("social", { state: "active" })).map((j) => [j.id, j.name, j.state, j.attempts])).toEqual([
        [handle.id, "tweet", "active", 1],
      ]);

      release();
      expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "once" });
      expect(await handle.state()).toBe("completed");
      // Its record holds its outcome and the lease's state; the lease is gone.
      expect(Object.keys(await redis.hgetall(key)).sort()).toEqual(["a", "fin", "r", "s", "st", "w"]);
      expect(await redis.hexists(`${base}leases`, handle.id)).toBe(0);
      const done = await inspector.getJob("social", handle.id);
      expect(done).toMatchObject({ state: "completed", name: "tweet", attempts: 1, payload: { content: "once" }, startedAt: new Date(Number(startedAt)) });
      expect(done?.workerId).toBe(workerId);
    } finally {
      await inspector.close();
    }
  });

  it("gets its whole record and bare payload when its first attempt fails, and runs again as attempt 2", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const base = `${prefix}:{social}:`;
    const seen: Array<{ attempt: number; record: Record<string, string>; entry: string | null }> = [];
    let failed!: () => void;
    const firstFailed = new Promise<void>((r) => (failed = r));
    const handle = await client.enqueue(def, { content: "flaky" });
    work(def, async (p: Tweet, ctx: { attempt: number }) => {
      seen.push({ attempt: ctx.attempt, record: await redis.hgetall(`${base}job:${handle.id}`), entry: await redis.hget(`${base}data`, handle.id) });
      if (ctx.attempt === 1) {
        failed();
        throw new Error("first attempt fails");
      }
      return { tweetId: p.content };
    });
    // Waiting on a result marks a job that has not started (watch-job-2.lua), which gives it its whole
    // record: only once the first attempt runs.
    await firstFailed;
    expect(await handle.result({ timeoutMs: 5_000 })).toEqual({ tweetId: "flaky" });
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
    expect(seen[0].record.n).toBeUndefined();
    expect(seen[0].entry?.startsWith("\x01")).toBe(true);
    // The retry's lease finds a whole record: its fields, and the payload alone in `data`.
    expect(seen[1].record).toMatchObject({ n: "tweet", m: "3", p: "2", a: "2", s: "active" });
    expect(seen[1].entry).toBe(JSON.stringify({ content: "flaky" }));
  });
});

describe("leases kept apart from the record", () => {
  let client: Client;
  let redis: Redis | Cluster;
  useTopology(SINGLE, (suite) => ({ client, redis } = suite));
  let calls = 0;

  function fetchInput(prefix: string, leaseMs = 30_000): FetchInput {
    return { keys: queueKeys(prefix, "social"), workerId: "w1", leaseMs, count: 10, promoteLimit: 1_000, weights: "", limits: "", token: `t${++calls}:1` };
  }

  it("refuses a late completion, failure and heartbeat of a job leased from the pending form once it was reclaimed", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const k = queueKeys(prefix, "social");
    const handle = await client.enqueue(def, { content: "late" });
    const first = await fetchJobs(redis, fetchInput(prefix, 50));
    expect(first.jobs.map((j) => [j.id, j.attempt])).toEqual([[handle.id, 1]]);
    const job = first.jobs[0];
    expect(await redis.exists(k.job(job.id))).toBe(0);
    // The lease is fenced per job: another token for the same job does not hold it.
    expect(await heartbeat(redis, { keys: k, workerId: "w1", leaseMs: 50, info: "{}", leases: [[job.id, `${job.token}x`]] })).toEqual([job.id]);
    expect(await heartbeat(redis, { keys: k, workerId: "w1", leaseMs: 50, info: "{}", leases: [[job.id, job.token]] })).toEqual([]);

    await new Promise((r) => setTimeout(r, 120));
    expect((await reclaimExpired(redis, { keys: k, limit: 100, graceMs: 0 })).taken).toBe(1);
    expect(await redis.hexists(k.leases, job.id)).toBe(0);
    // Back in its wait list as a whole record, its interrupted run counted.
    expect(await redis.hmget(k.job(job.id), "n", "s", "a", "w")).toEqual(["tweet", "waiting", "1", "w1"]);
    expect(await redis.lrange(k.wait[2], 0, -1)).toEqual([job.id]);

    const late = { job, result: JSON.stringify({ tweetId: "late" }), keepResultMs: 60_000 };
    expect((await completeJobs(redis, { ...fetchInput(prefix), count: 0 }, [late])).accepted).toEqual([false]);
    expect(await failJob(redis, { keys: k, id: job.id, token: job.token, mode: "retry", error: "", delayMs: 0 })).toBe(false);
    expect(await heartbeat(redis, { keys: k, workerId: "w1", leaseMs: 50, info: "{}", leases: [[job.id, job.token]] })).toEqual([job.id]);
    expect(await redis.hget(k.job(job.id), "s")).toBe("waiting");

    // The next lease runs it as attempt 2, and its completion lands once.
    const second = await fetchJobs(redis, fetchInput(prefix));
    expect(second.jobs.map((j) => [j.id, j.attempt])).toEqual([[handle.id, 2]]);
    const again = { job: second.jobs[0], result: JSON.stringify({ tweetId: "again" }), keepResultMs: 60_000 };
    expect((await completeJobs(redis, { ...fetchInput(prefix), count: 0 }, [again, late])).accepted).toEqual([true, false]);
    expect((await completeJobs(redis, { ...fetchInput(prefix), count: 0 }, [again])).accepted).toEqual([false]);
    expect(await handle.result({ timeoutMs: 1_000 })).toEqual({ tweetId: "again" });
    expect(await redis.hget(k.job(job.id), "a")).toBe("2");
  });

  it("completes a batch of pending-form and whole-record jobs, each told its attempt, worker and start", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const k = queueKeys(prefix, "social");
    const plain = await client.enqueue(def, { content: "plain" });
    const keyed = await client.enqueue(def, { content: "keyed" }, { jobId: "keyed-1" });
    const { jobs } = await fetchJobs(redis, fetchInput(prefix));
    expect(jobs.map((j) => j.id).sort()).toEqual([plain.id, keyed.id].sort());
    expect(await redis.exists(k.job(plain.id))).toBe(0);
    expect(await redis.hmget(k.job(keyed.id), "s", "a", "w", "l")).toEqual(["active", "1", "w1", null]);
    const completions = jobs.map((job) => ({ job, result: JSON.stringify({ tweetId: job.id }), keepResultMs: 60_000 }));
    expect((await completeJobs(redis, { ...fetchInput(prefix), count: 0 }, completions)).accepted).toEqual([true, true]);
    for (const job of jobs) {
      expect(await redis.hmget(k.job(job.id), "s", "a", "w", "st")).toEqual(["completed", "1", "w1", String(job.startedAt)]);
    }
    // Only the anchor that keeps the hash in the hashtable encoding is left (scripts/includes/lease.lua).
    expect(await redis.hlen(k.leases)).toBe(1);
    expect(await redis.object("ENCODING", k.leases)).toBe("hashtable");
    expect(await keyed.result({ timeoutMs: 1_000 })).toEqual({ tweetId: keyed.id });
  });

  it("gives jobs back untouched while the leases hash is of the wrong type, reports it, and runs them once it is fixed", async () => {
    const prefix = uniquePrefix();
    const def = tweetJob(prefix);
    const k = queueKeys(prefix, "social");
    await redis.set(k.leases, "not a hash");
    const plain = await client.enqueue(def, { content: "plain" });
    const keyed = await client.enqueue(def, { content: "keyed" }, { jobId: "keyed-2" });
    const refused = await fetchJobs(redis, fetchInput(prefix));
    expect(refused.jobs).toEqual([]);
    expect(refused.broken).toMatch(/leases: WRONGTYPE/);
    // Back as they were: the pending one with no record and its entry whole, the other waiting, unleased.
    expect(await redis.exists(k.job(plain.id))).toBe(0);
    expect((await redis.hget(`${k.base}data`, plain.id))?.startsWith("\x01")).toBe(true);
    expect(await redis.hmget(k.job(keyed.id), "s", "a", "w", "st")).toEqual(["waiting", null, null, null]);
    expect((await redis.lrange(k.wait[2], 0, -1)).sort()).toEqual([plain.id, keyed.id].sort());
    expect(await redis.zcard(k.active)).toBe(0);

    await redis.del(k.leases);
    const { jobs } = await fetchJobs(redis, fetchInput(prefix));
    expect(jobs.map((j) => [j.id, j.attempt]).sort()).toEqual(
      [
        [plain.id, 1],
        [keyed.id, 1],
      ].sort(),
    );
    const completions = jobs.map((job) => ({ job, result: JSON.stringify({ tweetId: job.id }), keepResultMs: 60_000 }));
    expect((await completeJobs(redis, { ...fetchInput(prefix), count: 0 }, completions)).accepted).toEqual([true, true]);
    expect(await plain.result({ timeoutMs: 1_000 })).toEqual({ tweetId: plain.id });
  });
  it("judges every pending entry it leases: good ones run with the fields they hold, garbled ones are dead-lettered with the reason", async () => {
    const prefix = uniquePrefix();
    const k = queueKeys(prefix, "social");
    const ct = "1733600000000";
    const entries: Array<[string, string | Buffer]> = [
      ["g1", `\x01${ct}|tweet|2|3|2|1500\n{"content":"one"}`],
      // The same fields as g1's but a creation time of 17 digits, over what a double holds exactly.
      ["g2", `\x01${"1".repeat(17)}|tweet|2|3|2|1500\n{}`],
      ["g3", `\x01${ct}|tweet|2|0||\n{}`],
      ["g4", `\x01${ct}|no name|2|3||\n{}`],
      ["g5", "\x01garbled"],
      // 16 digits, but a number a double holds: judged in full, and good.
      ["g6", `\x01${"1" + "0".repeat(15)}|tweet|2|3|2|1500\n{"content":"six"}`],
      ["g7", `\x01${ct}|tweet|2|3|2|1500\n{"content":"seven"}`],
      ["g8", `\x01${ct}|tweet|2|3||\n{"content":"eight"}`],
    ];
    for (const [id, entry] of entries) await redis.hset(`${k.base}data`, id, entry);
    // RPOP takes from the right: the jobs come out in the order above.
    await redis.lpush(k.wait[2], ...entries.map(([id]) => id));

    const { jobs } = await fetchJobs(redis, fetchInput(prefix));
    const leased = jobs.map(({ id, name, attempt, maxAttempts, version, timeoutMs, createdAt, payload, traceContext }) => ({
      id,
      name,
      attempt,
      maxAttempts,
      version,
      timeoutMs,
      createdAt,
      payload,
      traceContext,
    }));
    const fields = { name: "tweet", attempt: 1, maxAttempts: 3, traceContext: undefined };
    expect(leased).toEqual([
      { id: "g1", ...fields, version: 2, timeoutMs: 1500, createdAt: Number(ct), payload: '{"content":"one"}' },
      { id: "g6", ...fields, version: 2, timeoutMs: 1500, createdAt: 1e15, payload: '{"content":"six"}' },
      { id: "g7", ...fields, version: 2, timeoutMs: 1500, createdAt: Number(ct), payload: '{"content":"seven"}' },
      { id: "g8", ...fields, version: 1, timeoutMs: undefined, createdAt: Number(ct), payload: '{"content":"eight"}' },
    ]);
    expect((await redis.zrange(`${k.base}dead`, "0", "-1")).sort()).toEqual(["g2", "g3", "g4", "g5"]);
    const reasons = await Promise.all(["g2", "g3", "g4", "g5"].map(async (id) => JSON.parse((await redis.lindex(`${k.base}errors:${id}`, 0)) ?? "{}").message));
    expect(reasons).toEqual([
      "malformed job record: its creation time is not a number",
      "malformed job record: its max attempts is not a positive whole number",
      expect.stringMatching(/^malformed job record: its job name is not a valid name/),
      "malformed job record: its pending entry is not \\1ct|name|priority|maxAttempts|version|timeout",
    ]);
  });

  it("hands a pending job's binary payload over as bytes, and a text one as text, when the worker reads bytes", async () => {
    const prefix = uniquePrefix();
    const k = queueKeys(prefix, "social");
    const envelope = Buffer.from([0x00, 0x01, 0x0a, 0xff, 0x00, 0x7c]);
    await redis.hset(`${k.base}data`, "b1", Buffer.concat([Buffer.from("\x01123|tweet|2|3||\n", "latin1"), envelope]));
    await redis.hset(`${k.base}data`, "t1", '\x01123|tweet|2|3||\n{"content":"é"}');
    await redis.lpush(k.wait[2], "b1", "t1");
    const { jobs } = await fetchJobs(redis, fetchInput(prefix), "binary-payloads");
    expect(jobs.map((j) => [j.id, j.createdAt, j.payload])).toEqual([
      ["b1", 123, envelope],
      ["t1", 123, '{"content":"é"}'],
    ]);
  });
});
