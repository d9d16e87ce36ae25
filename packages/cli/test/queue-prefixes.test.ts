/**
 * The CLI names a queue by prefix and name: `mail` under two prefixes is two queues in `dlq list`,
 * `jobs list`, `jobs get`, `stats` and `schedules`, as a user trying it would see.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, PermanentError, Worker } from "@taskq/runtime";
import { createCodec, defineJob, defineQueue, type JobDefinition } from "@taskq/runtime/internal";
import { Type } from "typebox";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { taskq, taskqJson } from "./run-cli.js";

type Mail = { to: string };
const [A, B] = [`cliA${process.pid}`, `cliB${process.pid}`];
const send = (prefix: string) =>
  defineJob<Mail, void>({
    name: "send",
    queue: defineQueue({ prefix, name: "mail" }),
    priority: "normal",
    attempts: 1,
    backoff: { type: "fixed", delayMs: 10 },
    keepResultMs: 60_000,
    version: 1,
    payload: createCodec<Mail>(Type.Object({ to: Type.String() })),
    result: createCodec<void>(Type.Null()),
  });
const [mailA, mailB] = [send(A), send(B)];

let redis: TestRedis;
let client: Client;
let r: string[];
let worker: Worker;

async function killOne(definition: JobDefinition<Mail, void>, to: string): Promise<void> {
  // Enqueued before the worker starts: a starting worker takes a number from the queue's id counter
  // (its lease tokens' base), so a job enqueued as it starts may be job 2 instead of job 1.
  const handle = await client.enqueue(definition, { to });
  const w = new Worker({
    connection: redis.url,
    queues: [
      {
        name: "mail",
        prefix: definition.queue.prefix,
        concurrency: 1,
        jobs: {
          send: {
            definition,
            handler: () => {
              throw new PermanentError("refused");
            },
          },
        },
      },
    ],
  });
  await handle.result({ timeoutMs: 5_000 }).catch(() => undefined);
  await w.close();
}

beforeAll(async () => {
  redis = await startRedis();
  r = ["--redis", redis.url];
  client = new Client({ connection: redis.url });
  await killOne(mailA, "a@dead");
  await killOne(mailB, "b@dead");
  await client.enqueue(mailA, { to: "a@later" }, { delayMs: 600_000 });
  await client.enqueue(mailB, { to: "b@later" }, { delayMs: 600_000 });
  worker = new Worker({
    connection: redis.url,
    queues: [{ name: "mail", prefix: A, concurrency: 2, jobs: { send: { definition: mailA, handler: () => undefined } } }],
  });
});

afterAll(async () => {
  await worker.close();
  await client.close();
  await redis.stop();
});

describe("mail under two prefixes, from the CLI", { timeout: 90_000 }, () => {
  it("dlq list shows each prefix's dead job once, labelled prefix:name", async () => {
    const { jobs } = await taskqJson(["dlq", "list", ...r]);
    expect(jobs.map((j: { prefix: string; payload: string }) => [j.prefix, JSON.parse(j.payload).to]).sort()).toEqual([
      [A, "a@dead"],
      [B, "b@dead"],
    ]);
    const table = await taskq(["dlq", "list", ...r]);
    expect(table.stdout).toContain(`${A}:mail`);
    expect(table.stdout).toContain(`${B}:mail`);
  });

  it("jobs list --state delayed shows both prefixes' delayed jobs", async () => {
    const { jobs } = await taskqJson(["jobs", "list", "--state", "delayed", ...r]);
    expect(jobs.map((j: { prefix: string; queue: string }) => `${j.prefix}:${j.queue}`).sort()).toEqual([`${A}:mail`, `${B}:mail`]);
    const onlyB = await taskqJson(["jobs", "list", "--state", "delayed", "--queue", `${B}:mail`, ...r]);
    expect(onlyB.jobs.map((j: { payload?: unknown; prefix: string }) => j.prefix)).toEqual([B]);
  });

  it("jobs get 1 names the two queues holding job 1 by prefix; --queue prefix:name picks one", async () => {
    const ambiguous = await taskq(["jobs", "get", "1", ...r]);
    expect(ambiguous.code, `${ambiguous.stdout}\n${ambiguous.stderr}`).not.toBe(0);
    expect(ambiguous.stderr).toMatch(new RegExp(`exists in queues (${A}:mail, ${B}:mail|${B}:mail, ${A}:mail)`));
    const job = await taskqJson(["jobs", "get", "1", "--queue", `${B}:mail`, ...r]);
    expect(job).toMatchObject({ prefix: B, queue: "mail", state: "dead", payload: { to: "b@dead" } });
    const byPrefix = await taskqJson(["jobs", "get", "1", "--prefix", A, ...r]);
    expect(byPrefix).toMatchObject({ prefix: A, payload: { to: "a@dead" } });
  });

  it("stats counts the worker on A's mail only", async () => {
    const { queues } = await taskqJson(["stats", ...r]);
    expect(queues.map((q: { prefix: string; workers: { live: number } }) => [q.prefix, q.workers.live]).sort()).toEqual([
      [A, 1],
      [B, 0],
    ]);
  });

  // Eight CLI runs: a longer bound than the others on a loaded machine.
  it("schedules list and remove keep a schedule named alike in A's mail and B's mail apart", { timeout: 180_000 }, async () => {
    // Yearly: neither fires while the test runs (the worker on A's mail runs a task manager).
    const yearly = { cron: "0 0 1 1 *" };
    const [a, b] = [await client.schedule(mailA, yearly, { to: "all@new-year" }), await client.schedule(mailB, yearly, { to: "all@new-year" })];
    expect(a.id).toBe(b.id);
    const { schedules } = await taskqJson(["schedules", "list", ...r]);
    expect(
      schedules
        .filter((s: { id: string }) => s.id === a.id)
        .map((s: { prefix: string; queue: string }) => `${s.prefix}:${s.queue}`)
        .sort(),
    ).toEqual([`${A}:mail`, `${B}:mail`]);
    const table = await taskq(["schedules", "list", ...r]);
    expect(table.stdout).toContain(`${A}:mail`);
    expect(table.stdout).toContain(`${B}:mail`);

    for (const where of [[], ["--queue", "mail"]]) {
      const ambiguous = await taskq(["schedules", "remove", a.id, ...where, ...r]);
      expect(ambiguous.code).toBe(1);
      expect(ambiguous.stderr).toMatch(new RegExp(`exists in queues (${A}:mail, ${B}:mail|${B}:mail, ${A}:mail): pass --queue prefix:name`));
    }
    expect(await taskqJson(["schedules", "remove", a.id, "--queue", `${B}:mail`, ...r])).toEqual({ id: a.id, queue: "mail", prefix: B, removed: true });
    expect((await taskq(["schedules", "remove", a.id, "--queue", `${B}:mail`, ...r])).stderr).toBe(`taskq: schedule ${a.id} not found\n`);
    expect((await taskq(["schedules", "remove", a.id, "--queue", "mail", "--prefix", A, ...r])).stdout).toBe(`removed schedule ${a.id} of ${A}:mail\n`);
    expect((await taskqJson(["schedules", "list", ...r])).schedules.filter((s: { id: string }) => s.id === a.id)).toEqual([]);
  });

  it("dlq retry --all puts both prefixes' dead jobs back", async () => {
    const retried = await taskqJson(["dlq", "retry", "--all", ...r]);
    expect(retried).toEqual({ retried: 2 });
  });
});
