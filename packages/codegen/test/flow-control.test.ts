/**
 * The flow-control options of jobs.ts — queue `priorities`, `batch` jobs, `pool: "threads"` and a
 * custom backoff — reach the manifest, the generated definitions and the worker's registrations; on
 * real Redis the generated worker runs a batch, retries with the jobs.ts backoff function, and runs a
 * job in a worker thread through the generated `cpu.threads.ts`.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Client, JobFailedError } from "@taskq/runtime";
import { analyze, generate } from "../src/index.js";
import { startRedis } from "../../../test/support/redis-server.js";
import { removeScratch } from "./helpers.js";
import { typeErrors } from "./type-errors.js";
import { createClient, definitions } from "./fixtures/flow-control/generated/client.js";
import { createWorker } from "./fixtures/flow-control/generated/worker.js";

afterAll(removeScratch);

const FIXTURE = path.join(import.meta.dirname, "fixtures/flow-control");

describe("flow-control options", () => {
  it("reads priorities, pool, batch and a custom backoff, and keeps the generated fixture fresh", () => {
    const { manifest, diagnostics } = analyze(path.join(FIXTURE, "jobs.ts"));
    expect(diagnostics).toEqual([]);
    const [images, cpu] = manifest.queues;
    expect(images).toMatchObject({ name: "images", priorities: [8, 4, 4, 2, 1] });
    expect(images.pool).toBeUndefined();
    expect(cpu).toMatchObject({ name: "cpu", priorities: "strict", pool: "threads", concurrency: 2 });
    const [resize, note] = images.jobs;
    expect(resize).toMatchObject({ usesContext: true, options: { batch: { size: 10, waitMs: 20 } } });
    // The payload and result are one item's: what one enqueue takes and one job's result.
    expect([resize.payload, resize.result]).toEqual([
      { kind: "ref", name: "Thumbnail" },
      { kind: "ref", name: "Resized" },
    ]);
    expect(note.options.backoff).toEqual({ type: "custom", name: "noteBackoff" });
    // `ctx: JobContext<{ step: number }>` names the progress type; a plain `JobContext` names none.
    expect(note.progress).toEqual({ kind: "ref", name: "NoteProgress" });
    expect(cpu.jobs[0].progress).toBeUndefined();
    const out = path.join(FIXTURE, "generated");
    expect(generate({ entry: path.join(FIXTURE, "jobs.ts"), out, check: true }).stale).toEqual([]);
  });

  it("type-checks the generated worker and thread module under strict", () => {
    const files = ["client.ts", "codecs.ts", "index.ts", "worker.ts", "cpu.threads.ts"].map((name) => path.join(FIXTURE, "generated", name));
    expect(typeErrors(files)).toEqual([]);
  });

  it("runs a batch, retries with the jobs.ts backoff, and runs a pool job in a thread, through the generated worker", async () => {
    const redis = await startRedis();
    const client = new Client({ connection: redis.url });
    const worker = createWorker({ connection: redis.url, shutdownTimeoutMs: 2_000 });
    try {
      const batch = await client.enqueueBulk(definitions.resize, [
        { url: "a", width: 10 },
        { url: "b", width: 20 },
      ]);
      const refused = await client.enqueue(definitions.resize, { url: "c", width: 0 }, { attempts: 1 });
      const note = await client.enqueue(definitions.note, { text: "fail" });
      const checksum = await client.enqueue(definitions.checksum, { size: 1_000 });
      const results = await Promise.all(batch.map((handle) => handle.result({ timeoutMs: 15_000 })));
      expect(results.map((r) => r.url)).toEqual([expect.stringMatching(/^a\?w=10&n=\d+$/), expect.stringMatching(/^b\?w=20&n=\d+$/)]);
      await expect(refused.result({ timeoutMs: 15_000 })).rejects.toBeInstanceOf(JobFailedError);
      // Two "fast" failures, each retried after noteBackoff's few ms, not the default minute.
      expect(await note.result({ timeoutMs: 15_000 })).toEqual({ text: "fail@3" });
      // The method returns -1 on the main thread: a real sum means it ran in a pool thread.
      expect(await checksum.result({ timeoutMs: 20_000 })).toEqual({ sum: 499_500 });
    } finally {
      await worker.close();
      await client.close();
      await redis.stop();
    }
  }, 60_000);

  it("types the generated handle's progress as the handler's JobContext declares it", async () => {
    const redis = await startRedis();
    const client = createClient({ connection: redis.url });
    let worker: ReturnType<typeof createWorker> | undefined;
    try {
      const note = await client.enqueueNote({ text: "fail twice" });
      const progress = note.progress();
      await progress.ready;
      // Started once the producer follows, so it hears every attempt's value.
      worker = createWorker({ connection: redis.url, shutdownTimeoutMs: 2_000 });
      const steps: number[] = [];
      // `value.step` type-checks only because the handle's progress type is NoteProgress.
      for await (const value of progress) steps.push(value.step);
      expect(steps).toEqual([1, 2, 3]);
      expect(await note.result({ timeoutMs: 15_000 })).toEqual({ text: "fail twice@3" });
    } finally {
      await worker?.close();
      await client.close();
      await redis.stop();
    }
  }, 60_000);
});
