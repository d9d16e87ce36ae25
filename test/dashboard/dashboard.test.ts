/**
 * The dashboard in a real browser: Debian's headless Chromium (never a downloaded one) driven by
 * playwright-core, against `createApiServer` on a test Redis with a live worker. It loads the page
 * with an admin token, sees a job appear, opens a dead job's detail, retries a dead job by clicking,
 * removes a schedule of a queue named alike under another prefix, and saves a screenshot to test/artifacts/dashboard.png for a person to look at.
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { Client, PermanentError, Worker } from "@taskq/runtime";
import { createApiServer, type ApiServer } from "@taskq/runtime/http";
import { QueueInspector } from "@taskq/runtime/admin";
import { registration, tweetJob } from "../../packages/runtime/test/fixtures.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));
const TOKEN = "dashboard-admin";

// Skipped only on a developer machine without Chromium; CI (.ci/run) installs it, and there a missing browser fails.
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)("dashboard (headless Chromium)", () => {
  let redis: TestRedis;
  let server: ApiServer;
  let client: Client;
  let worker: Worker;
  let browser: Browser;
  let base: string;
  let release!: () => void;
  const social = tweetJob("taskq", { attempts: 2, backoff: { type: "fixed", delayMs: 50 } });
  const mail = tweetJob("taskq", { queue: "mail", name: "send" });

  beforeAll(async () => {
    redis = await startRedis();
    client = new Client({ connection: redis.url });
    const seen = new Set<string>();
    const gate = new Promise<void>((resolve) => (release = resolve));
    worker = new Worker({
      connection: redis.url,
      queues: [
        registration(
          social,
          async (payload: { content: string }, ctx) => {
            await ctx.log(`posting ${JSON.stringify(payload.content)}`);
            if (payload.content === "flaky" && !seen.has(ctx.id)) {
              seen.add(ctx.id);
              throw new PermanentError("upstream answered 503; gave up");
            }
            if (payload.content.startsWith("spam")) throw new PermanentError("twitter: 403 Forbidden, tweet refused as spam");
            if (payload.content === "hold") await gate;
            else await new Promise((r) => setTimeout(r, 30));
            return { tweetId: `t-${ctx.id}` };
          },
          2,
        ),
      ],
    });
    server = await createApiServer({ connection: redis.url, definitions: { tweet: social, send: mail }, tokens: { admin: TOKEN } });
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
  });
  afterAll(async () => {
    release?.();
    await browser?.close();
    await worker?.close();
    await server?.close();
    await client?.close();
    await redis?.stop();
  });

  it("shows live queues and workers, a job appearing, a job's detail, and retries a dead job by clicking", async () => {
    const dead = await Promise.all(["flaky", "spam two"].map((content) => client.enqueue(social, { content })));
    await Promise.all(dead.map((h) => h.result({ timeoutMs: 5_000 }).catch(() => undefined)));
    const held = await client.enqueue(social, { content: "hold" });
    await client.schedule(social, { cron: "0 9 * * 1-5", tz: "Europe/Paris" }, { content: "good morning" });

    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${base}/#token=${TOKEN}`);
    await page.locator('#queues tr[data-queue="social"]').waitFor();
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/^live/);
    await page.locator("#workers td", { hasText: `social/${held.id}` }).waitFor();

    for (let i = 0; i < 3; i++) {
      await client.enqueueBulk(
        social,
        Array.from({ length: 5 }, (_, j) => ({ content: `hello ${i}.${j}` })),
      );
      await page.waitForTimeout(1_100);
    }

    const appeared = await client.enqueue(mail, { content: "a new mail job" });
    await page.locator(`#jobs tr[data-id="${appeared.id}"]`, { hasText: "mail" }).waitFor({ timeout: 5_000 });

    await page.locator(`#dlq tr[data-id="${dead[1].id}"] a.job-link`).click();
    await page.locator("#job", { hasText: "refused as spam" }).waitFor();
    await expect.poll(() => page.locator("#job").textContent()).toContain('"content": "spam two"');
    // The job has a page of its own; back to the overview for the dead-letter queue.
    await page.locator("#job-back").click();

    await page.locator(`#dlq tr[data-id="${dead[0].id}"] button.retry`).click();
    await page.locator(`#dlq tr[data-id="${dead[0].id}"]`).waitFor({ state: "detached", timeout: 5_000 });
    const inspector = new QueueInspector({ connection: redis.url });
    // Retried with fresh attempts, the job runs again and completes this time.
    await expect.poll(async () => (await inspector.getJob("social", dead[0].id))?.state, { timeout: 5_000 }).toBe("completed");
    await inspector.close();

    await page.locator("#schedules td", { hasText: "cron 0 9 * * 1-5 (Europe/Paris)" }).waitFor();
    await page.waitForTimeout(1_200);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: true });
    await page.close();
  });

  it("labels a schedule of mail under another prefix prefix:name, and Remove removes that one alone", async () => {
    const other = `dash${process.pid}`;
    const yearly = { cron: "0 0 1 1 *" };
    const mailOther = tweetJob(other, { queue: "mail", name: "send" });
    const [here, there] = [await client.schedule(mail, yearly, { content: "new year" }), await client.schedule(mailOther, yearly, { content: "new year" })];
    expect(here.id).toBe(there.id);

    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${base}/#token=${TOKEN}`);
    const rows = page.locator(`#schedules tr[data-id="${here.id}"]`);
    // Discovery finds the other prefix's queue within seconds; the table refreshes on its own.
    await rows.filter({ hasText: `${other}:mail` }).waitFor({ timeout: 10_000 });
    await expect.poll(() => rows.count()).toBe(2);
    await rows
      .filter({ hasText: `${other}:mail` })
      .locator("button")
      .click();
    await rows.filter({ hasText: `${other}:mail` }).waitFor({ state: "detached", timeout: 5_000 });
    await expect.poll(() => rows.count()).toBe(1);
    const inspector = new QueueInspector({ connection: redis.url });
    const left = (await inspector.schedules({ rediscover: true })).filter((s) => s.id === here.id);
    await inspector.close();
    expect(left.map((s) => `${s.prefix}:${s.queue}`)).toEqual(["taskq:mail"]);
    await page.close();
  });
});
