import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Client, Worker, type ConnectionOptions } from "../src/index.js";
import { startTlsRedis, type TlsRedis } from "../../../test/support/redis-tls.js";
import { registration, tweetJob, uniquePrefix, type Tweet } from "./fixtures.js";

describe("over TLS (rediss://)", () => {
  let server: TlsRedis;
  const closing: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    server = await startTlsRedis();
  });
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Enqueue → Worker → result(), every connection (the client's, the worker's and their duplicates) made from `connection`. */
  async function roundTrip(connection: ConnectionOptions): Promise<{ id: string; result: unknown }> {
    const def = tweetJob(uniquePrefix());
    const client = new Client({ connection });
    const worker = new Worker({
      connection,
      queues: [registration(def, async (p: Tweet, ctx) => ({ tweetId: `${ctx.id}:${p.content}` }))],
      shutdownTimeoutMs: 2_000,
    });
    closing.push(worker, client);
    const handle = await client.enqueue(def, { content: "secret" });
    return { id: handle.id, result: await handle.result({ timeoutMs: 5_000 }) };
  }

  it("runs enqueue → worker → result() with the URL and the CA as { url, tls: { ca } }", async () => {
    const { id, result } = await roundTrip({ url: server.url, tls: { ca: server.ca } });
    expect(result).toEqual({ tweetId: `${id}:secret` });
  });

  it("runs the same path with plain ioredis options { host, port, tls: { ca } }", async () => {
    const { id, result } = await roundTrip({ host: "127.0.0.1", port: server.port, tls: { ca: server.ca } });
    expect(result).toEqual({ tweetId: `${id}:secret` });
  });

  it("refuses a server whose certificate the client's CAs do not vouch for", async () => {
    // Without the test CA, Node's default trust store rejects the certificate; fail fast instead of reconnecting.
    const client = new Client({ connection: { url: server.url, retryStrategy: () => null, maxRetriesPerRequest: 0 } });
    closing.push(client);
    await expect(client.enqueue(tweetJob(uniquePrefix()), { content: "never" })).rejects.toThrow();
  });
});
