/**
 * The dashboard as a place to work, in Debian's headless Chromium (never a downloaded one) driven by
 * playwright-core against `createApiServer` on a test Redis with a live worker: find a job by id,
 * filter jobs by name and state, page through more than a page of dead jobs, read one job's whole
 * story (every attempt's error and stack, logs, progress, result), retry a filtered set of dead jobs
 * after a confirmation, and see the hour's charts drawn from the counters the scripts keep.
 * Screenshots go to /tmp/dashboard-*.png for a person to look at.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { Client, PermanentError, Worker } from "@taskq/runtime";
import { createApiServer, type ApiServer } from "@taskq/runtime/http";
import { QueueInspector } from "@taskq/runtime/admin";
import { tweetJob } from "../../packages/runtime/test/fixtures.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

const CHROMIUM = "/usr/bin/chromium";
const TOKEN = "dashboard-admin";
const DEAD = 60;

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)("dashboard at work (headless Chromium)", () => {
  let redis: TestRedis;
  let server: ApiServer;
  let client: Client;
  let worker: Worker;
  let inspector: QueueInspector;
  let browser: Browser;
  let page: Page;
  let base: string;
  const tweet = tweetJob("taskq", { queue: "work", attempts: 2, backoff: { type: "fixed", delayMs: 20 } });
  const digest = tweetJob("taskq", { queue: "work", name: "digest", attempts: 1 });
  const failedOnce = new Set<string>();

  beforeAll(async () => {
    redis = await startRedis();
    client = new Client({ connection: redis.url });
    inspector = new QueueInspector({ connection: redis.url });
    const handler = async (
      payload: { content: string },
      ctx: { id: string; attempt: number; log(line: string): Promise<void>; progress(value: unknown): Promise<void> },
    ) => {
      await ctx.log(`attempt ${ctx.attempt}: posting ${JSON.stringify(payload.content)}`);
      await ctx.progress(40);
      if (payload.content === "flaky" && ctx.attempt === 1) throw new Error("upstream timed out after 30 s");
      // Dies on its first run only: once retried from the dead-letter queue, it completes.
      if (payload.content.startsWith("die") && !failedOnce.has(ctx.id)) {
        failedOnce.add(ctx.id);
        throw new PermanentError(`refused ${payload.content}`);
      }
      await ctx.log("posted");
      await ctx.progress(100);
      return { tweetId: `t-${ctx.id}` };
    };
    worker = new Worker({
      connection: redis.url,
      queues: [{ name: "work", prefix: "taskq", concurrency: 4, jobs: { tweet: { definition: tweet, handler }, digest: { definition: digest, handler } } }],
    });
    server = await createApiServer({ connection: redis.url, definitions: { tweet, digest }, tokens: { admin: TOKEN } });
    base = `http://127.0.0.1:${await server.listen({ port: 0, host: "127.0.0.1" })}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await server?.close();
    await inspector?.close();
    await client?.close();
    await redis?.stop();
  });

  it("finds a job by id and shows its page: every attempt's error and stack, logs, progress, payload, result", async () => {
    const flaky = await client.enqueue(tweet, { content: "flaky" });
    await flaky.result({ timeoutMs: 10_000 });
    await page.goto(`${base}/#token=${TOKEN}`);
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/^live/);

    await page.locator("#find-id").fill(flaky.id);
    await page.locator("#find-form button").click();
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/job/work/${flaky.id}`);
    await page.locator("#job-title", { hasText: `work/${flaky.id}` }).waitFor();
    const job = page.locator("#job");
    await job.locator("li.attempt", { hasText: "upstream timed out after 30 s" }).waitFor();
    expect(await job.locator("li.attempt").count()).toBe(1);
    expect(await job.locator("li.attempt pre.stack").textContent()).toMatch(/Error: upstream timed out after 30 s\n\s+at /);
    const logs = (await job.locator("pre.logs").textContent())!.split("\n");
    expect(logs.map((line) => line.replace(/^\S+Z /, ""))).toEqual(['attempt 1: posting "flaky"', 'attempt 2: posting "flaky"', "posted"]);
    expect(await job.locator(".progress progress").getAttribute("value")).toBe("100");
    expect(await job.textContent()).toContain(`"tweetId": "t-${flaky.id}"`);
    expect(await job.textContent()).toContain('"content": "flaky"');
    expect(await job.locator("dd .pill").textContent()).toBe("completed");
    await job.locator("li.attempt details summary").click();
    await page.screenshot({ path: "/tmp/dashboard-job.png", fullPage: true });

    await page.locator("#find-id").fill("no-such-job");
    await page.locator("#find-form button").click();
    await page.locator("#find-result", { hasText: "no job no-such-job" }).waitFor();
    // A job id is text, never markup, wherever it is shown.
    await page.locator("#find-id").fill("<img src=x onerror=alert(1)>");
    await page.locator("#find-form button").click();
    await page.locator("#find-result", { hasText: "not a job id" }).waitFor();
    expect(await page.locator("header img").count()).toBe(0);
    await page.locator("#job-back").click();
    await page.locator("#overview").waitFor();
  }, 60_000);

  it("filters jobs by job name and state, a page at a time", async () => {
    const later = { delayMs: 3_600_000 };
    await client.enqueueBulk(
      tweet,
      Array.from({ length: 3 }, (_, i) => ({ payload: { content: `later ${i}` }, options: later })),
    );
    const digests = await client.enqueueBulk(
      digest,
      Array.from({ length: 2 }, (_, i) => ({ payload: { content: `digest ${i}` }, options: later })),
    );
    await page.locator('#states button[data-state="delayed"]').click();
    await page.locator("#jobs-name").fill("digest");
    await page.locator("#jobs-filter button").click();
    await expect.poll(async () => (await page.locator("#jobs tbody tr").allTextContents()).length).toBe(2);
    const ids = await page.locator("#jobs tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));
    expect(ids.sort()).toEqual(digests.map((d) => d.id).sort());
    for (const name of await page.locator("#jobs tbody tr td:nth-child(3)").allTextContents()) expect(name).toBe("digest");
    expect(await page.locator("#jobs-queue").textContent()).toContain("named digest");
    await page.locator("#jobs-name").fill("");
    await page.locator("#jobs-filter button").click();
    await expect.poll(async () => (await page.locator("#jobs tbody tr").allTextContents()).length).toBe(5);
  }, 60_000);

  it("pages through the dead jobs, retries the filtered set after a confirmation, and charts the hour", async () => {
    const dying = await client.enqueueBulk(
      tweet,
      Array.from({ length: DEAD }, (_, i) => ({ content: `die ${i}` })),
    );
    await expect.poll(async () => (await inspector.deadLetterQueue("work")).count(), { timeout: 15_000 }).toBe(DEAD);
    const rowIds = () => page.locator("#dlq tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));

    await page.locator("#dlq-name").fill("tweet");
    await page.locator("#dlq-filter button").click();
    await expect.poll(async () => (await rowIds()).length).toBe(25);
    const first = await rowIds();
    await page.locator("#dlq-pager button.next").click();
    await page.locator("#dlq-pager .page", { hasText: "page 2" }).waitFor();
    await expect.poll(async () => (await rowIds())[0]).not.toBe(first[0]);
    const second = await rowIds();
    await page.locator("#dlq-pager button.next").click();
    await page.locator("#dlq-pager .page", { hasText: "page 3" }).waitFor();
    await expect.poll(async () => (await rowIds()).length).toBe(DEAD - 50);
    const third = await rowIds();
    expect(await page.locator("#dlq-pager button.next").isDisabled()).toBe(true);
    // Every dead job exactly once across the pages.
    expect(new Set([...first, ...second, ...third]).size).toBe(DEAD);
    expect([...first, ...second, ...third].sort()).toEqual(dying.map((d) => d.id).sort());
    await page.locator("#dlq-pager button.prev").click();
    await page.locator("#dlq-pager .page", { hasText: "page 2" }).waitFor();
    await expect.poll(() => rowIds()).toEqual(second);

    // Asked, then cancelled: nothing changes.
    await page.locator("#dlq-retry-all").click();
    await page.locator("#dlq-confirm", { hasText: "Retry every dead job named tweet in every queue?" }).waitFor();
    await page.locator("#dlq-confirm button.confirm-no").click();
    await page.locator("#dlq-confirm").waitFor({ state: "hidden" });
    await page.waitForTimeout(500);
    expect(await (await inspector.deadLetterQueue("work")).count()).toBe(DEAD);

    await page.locator("#dlq-retry-all").click();
    await page.screenshot({ path: "/tmp/dashboard-confirm.png", fullPage: true });
    await page.locator("#dlq-confirm button.confirm-yes").click();
    await expect.poll(async () => (await inspector.deadLetterQueue("work")).count(), { timeout: 15_000 }).toBe(0);
    await expect
      .poll(async () => (await Promise.all(dying.map((d) => inspector.getJob("work", d.id)))).every((j) => j?.state === "completed"), { timeout: 15_000 })
      .toBe(true);
    await page.locator("#dlq tbody tr.empty").waitFor();
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/retried 60 dead jobs|^live/);

    // The charts come from the per-minute counters: reload so the hour is read again now.
    await page.reload();
    await expect
      .poll(async () => Number(await page.locator("#chart-throughput").getAttribute("data-total")), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(DEAD + 1);
    expect(await page.locator("#chart-throughput .point").count()).toBeGreaterThan(0);
    const failures = page.locator("#chart-failures");
    // 60 deaths and the flaky job's failed attempt: 61 failed attempts and 60 dead.
    expect(Number(await failures.getAttribute("data-total"))).toBe(2 * DEAD + 1);
    expect(await failures.locator('.point[data-series="dead"]').count()).toBeGreaterThan(0);
    expect(await page.locator("#throughput-total").textContent()).toMatch(/\d+ in the hour/);
    await page.screenshot({ path: "/tmp/dashboard-overview.png", fullPage: true });
  }, 120_000);
});
