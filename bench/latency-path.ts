/**
 * `npm run bench:latency-path`: where the time of workload 4 (enqueue → start at 500 jobs/s, an idle
 * worker of concurrency 100) goes on the Redis side, per system. Runs that workload with SLOWLOG
 * recording every command (threshold 0) and prints, per command and per script (taskq's by name,
 * the others' by SHA), the calls per job and the median µs of Redis time each: the scripts on the
 * path from enqueue to start are the part of the latency that is Redis's own. SLOWLOG times a
 * script with the commands it calls (listed too, as the script spells them: their time is inside the
 * script's), and logging each of those adds a little to both, so compare systems within one run.
 * `--only taskq,bee`, `--repeat n` (runs per system).
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { scriptTexts } from "../packages/runtime/src/redis/scripts.js";
import { pinProcesses } from "./pinning.js";
import { openBenchRedis } from "./redis.js";
import { openBeeQueue } from "./systems/bee-queue.js";
import { openBullmq } from "./systems/bullmq.js";
import type { OpenSystem, SystemId } from "./systems/system.js";
import { openTaskq } from "./systems/taskq.js";
import { latency } from "./workloads/latency.js";

const { values } = parseArgs({ options: { only: { type: "string", default: "taskq,bee" }, repeat: { type: "string", default: "2" } } });
const OPENERS: Record<SystemId, OpenSystem> = { taskq: openTaskq, bullmq: openBullmq, bee: openBeeQueue };
const only = values.only.split(",") as SystemId[];
for (const id of only) if (!(id in OPENERS)) throw new Error(`--only: unknown system ${id}`);

// taskq's scripts by the SHA they run by.
const scriptNames = new Map([...scriptTexts()].map(([name, lua]) => [createHash("sha1").update(lua).digest("hex"), name]));

const redis = await openBenchRedis(undefined);
console.log(`latency path: ${pinProcesses(redis.serverPid).summary}`);
const workload = latency(1);
try {
  for (let rep = 1; rep <= Number(values.repeat); rep++) {
    for (const id of only) {
      const system = await OPENERS[id](redis.url);
      const reset = async () => void (await redis.flush(system.keyPatterns));
      try {
        await redis.admin.config("SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "200000");
        await redis.admin.slowlog("RESET");
        const figures = await workload.run({ system, redis, reset });
        await redis.admin.config("SET", "slowlog-log-slower-than", "-1");
        const log = (await redis.admin.slowlog("GET", "200000")) as Array<[number, number, number, string[]]>;
        console.log(`\n${system.label}, run ${rep}: p50 ${figures["latency-p50"].toFixed(3)} ms, p99 ${figures["latency-p99"].toFixed(3)} ms`);
        console.log(report(log));
      } finally {
        await system.close();
        await reset();
      }
    }
  }
} finally {
  await redis.admin.config("SET", "slowlog-log-slower-than", "10000");
  await redis.close();
}

/** Per command (a script by its name, else its SHA's start), calls per job and the median µs. */
function report(log: Array<[number, number, number, string[]]>): string {
  const jobs = 2_500; // latency(1)'s
  const byCommand = new Map<string, number[]>();
  for (const [, , us, args] of log) {
    // As the caller spelled it: a command a script called, as the script spells it.
    const command = String(args[0]);
    if (/^(slowlog|config|info)$/i.test(command)) continue;
    const sha = String(args[1] ?? "");
    const key = /^evalsha$/i.test(command) ? `script ${scriptNames.get(sha) ?? sha.slice(0, 8)}` : command;
    byCommand.set(key, [...(byCommand.get(key) ?? []), us]);
  }
  return [...byCommand]
    .map(([key, times]) => ({ key, calls: times.length, median: times.sort((a, b) => a - b)[times.length >> 1] }))
    .sort((a, b) => b.calls * b.median - a.calls * a.median)
    .slice(0, 14)
    .map(({ key, calls, median }) => `  ${key.padEnd(28)} ${(calls / jobs).toFixed(2).padStart(6)} calls/job  median ${String(median).padStart(4)} µs`)
    .join("\n");
}
