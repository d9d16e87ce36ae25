import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Client, TaskManager, Worker, type StoredSchedule } from "../src/index.js";
import { nextFireTime } from "../src/internal.js";
import { TOPOLOGIES, type TestTopology } from "../../../test/support/topology.js";
import { registration, tweetJob, uniquePrefix, type Tweet } from "./fixtures.js";

describe("nextFireTime (an injectable clock)", () => {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

  it("fires a Europe/Berlin cron at 02:30 local time across the spring-forward change", () => {
    const daily: StoredSchedule = { cron: "30 2 * * *", tz: "Europe/Berlin" };
    let at = Date.parse("2026-03-27T12:00:00Z");
    const fired: Array<string | undefined> = [];
    for (let i = 0; i < 4; i++) {
      at = nextFireTime(daily, at, i)!;
      fired.push(iso(at));
    }
    // 02:30 CET is 01:30Z; on 29 March 02:30 does not exist (clocks jump to 03:00 CEST); then 00:30Z.
    expect(fired).toEqual(["2026-03-28T01:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z"]);
  });

  it("fires hourly in New York exactly once per real hour across the fall-back change", () => {
    const hourly: StoredSchedule = { cron: "0 * * * *", tz: "America/New_York" };
    let at = Date.parse("2026-11-01T04:30:00Z"); // 00:30 EDT
    const fired: number[] = [];
    for (let i = 0; i < 4; i++) fired.push((at = nextFireTime(hourly, at, i)!));
    expect(fired.map(iso)).toEqual(["2026-11-01T05:00:00.000Z", "2026-11-01T06:00:00.000Z", "2026-11-01T07:00:00.000Z", "2026-11-01T08:00:00.000Z"]);
  });

  it("stops an interval after its limit and a one-off after it fired", () => {
    expect(nextFireTime({ everyMs: 100, limit: 2 }, 1_000, 1)).toBe(1_100);
    expect(nextFireTime({ everyMs: 100, limit: 2 }, 1_100, 2)).toBeUndefined();
    expect(nextFireTime({ at: 5_000 }, 0, 0)).toBe(5_000);
    expect(nextFireTime({ at: 5_000 }, 5_000, 1)).toBeUndefined();
  });
});

describe.each(TOPOLOGIES.map((t) => [t.name, t] as const))("schedules on %s Redis", (_name, kind) => {
  let topo: TestTopology;
  let client: Client;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    topo = await kind.start();
    client = new Client({ connection: topo.connection });
  });
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });
  afterAll(async () => {
    await client.close();
    await topo.stop();
  });

  it("fires an interval schedule `limit` times, once per tick, with three TaskManagers racing", async () => {
    const def = tweetJob(uniquePrefix());
    const ran: string[] = [];
    const worker = new Worker({
      connection: topo.connection,
      queues: [registration(def, async (p: Tweet, ctx) => (ran.push(ctx.id), { tweetId: p.content }))],
      taskManager: false,
    });
    stops.push(() => worker.close());
    for (let i = 0; i < 3; i++) {
      const manager = new TaskManager({ connection: topo.connection, queues: [{ name: "social", prefix: def.queue.prefix }], intervalMs: 20 });
      manager.start();
      stops.push(() => manager.stop());
    }
    const handle = await client.schedule(def, { everyMs: 100, limit: 4 }, { content: "tick" });
    const store = client.schedules("social", def.queue.prefix);
    expect((await store.list()).map((s) => s.id)).toEqual([handle.id]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(ran).toHaveLength(4);
    expect(new Set(ran).size).toBe(4);
    expect(ran.every((id) => id.startsWith(`s:${handle.id}:`))).toBe(true);
    expect(await store.list()).toEqual([]);
  });

  it("is idempotent to declare, listable, and removable", async () => {
    const def = tweetJob(uniquePrefix());
    const a = await client.schedule(def, { cron: "0 9 * * 1", tz: "Europe/Paris" }, { content: "weekly" });
    const b = await client.schedule(def, { cron: "0 9 * * 1", tz: "Europe/Paris" }, { content: "weekly" });
    expect(b.id).toBe(a.id);
    const [listed] = await client.schedules("social", def.queue.prefix).list();
    expect(listed).toMatchObject({ id: a.id, name: "tweet", schedule: { cron: "0 9 * * 1", tz: "Europe/Paris" }, fired: 0 });
    expect(listed.nextAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await a.remove()).toBe(true);
    expect(await client.schedules("social", def.queue.prefix).list()).toEqual([]);
  });

  it("fires a tick that fell due while no TaskManager ran, once it is back", async () => {
    const def = tweetJob(uniquePrefix());
    const handle = await client.schedule(def, { at: new Date(Date.now() + 100) }, { content: "once" });
    await new Promise((r) => setTimeout(r, 300)); // nobody is running: the tick is due and waiting
    const ran: string[] = [];
    const worker = new Worker({ connection: topo.connection, queues: [registration(def, async (_p: Tweet, ctx) => (ran.push(ctx.id), { tweetId: "x" }))] });
    stops.push(() => worker.close());
    await new Promise((r) => setTimeout(r, 500));
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatch(new RegExp(`^s:${handle.id}:`));
  });

  it("refuses an invalid cron expression", async () => {
    const def = tweetJob(uniquePrefix());
    await expect(client.schedule(def, { cron: "61 * * * *" }, { content: "x" })).rejects.toThrow(/invalid cron schedule/);
  });
});
