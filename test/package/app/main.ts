// The app of test/package/install.test.ts: the generated client and worker, compiled by the app's own
// tsc and run on plain node. Prints one JSON line of what it saw, which the test asserts.
import { createHash } from "node:crypto";
import {
  ValidationError,
  configure,
  createWorker,
  createClient,
  enqueueBounce,
  enqueueDigest,
  enqueueSendWelcome,
  closeDefaultClient,
} from "./generated/index.js";

const connection = process.env["TASKQ_REDIS_URL"] ?? "redis://127.0.0.1:6379";
configure({ connection });
const worker = createWorker({ connection });

const sent = await enqueueSendWelcome({ to: "ada@example.com", name: "Ada", signedUpAt: new Date("2024-03-01T10:00:00Z") });
const result = await sent.result({ timeoutMs: 10_000 });
// Typed: these lines would not compile if result() were not Sent.
const year: number = result.signedUpYear;
const messageId: string = result.messageId;

let refused: { name: string; message: string; paths: string[] } | undefined;
try {
  await enqueueSendWelcome({ to: "not-an-email", name: "", signedUpAt: new Date() });
} catch (error) {
  if (error instanceof ValidationError) refused = { name: error.name, message: error.message, paths: error.issues.map((i) => i.path) };
}

const bounced = await enqueueBounce({ to: "nobody@example.com" });
const dead = await bounced.result({ timeoutMs: 10_000 }).then(
  () => undefined,
  (error: Error) => ({ name: error.name, message: error.message }),
);
const client = createClient({ connection });
const deadJobs = await client.runtime.deadLetterQueue("mail").list();
const digest = await (await enqueueDigest({ text: "taskq" })).result({ timeoutMs: 15_000 });

await worker.close();
await client.close();
await closeDefaultClient();
console.log(
  JSON.stringify({
    year,
    messageId,
    refused,
    dead,
    deadIds: deadJobs.map((job) => job.id),
    bouncedId: bounced.id,
    digest,
    expectedSha: createHash("sha256").update("taskq").digest("hex"),
    mainThreadId: 0,
  }),
);
