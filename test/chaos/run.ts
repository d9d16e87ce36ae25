/**
 * `npm run chaos`: the kill storm at scale (50,000 jobs, 10 workers, a SIGKILL every second, one
 * Redis restart midway), once with deadAfterMs 1000 and once with the defaults. Prints the figures.
 * Options: --jobs n, --workers n, --kill-every ms.
 */
import { parseArgs } from "node:util";
import { startRedis } from "../support/redis-server.js";
import { runStorm, type StormReport } from "./storm.js";

const { values } = parseArgs({
  options: {
    jobs: { type: "string", default: "50000" },
    workers: { type: "string", default: "10" },
    "kill-every": { type: "string", default: "1000" },
  },
});

function row(name: string, r: StormReport): string {
  return [
    name,
    r.jobs,
    r.completed,
    r.lost,
    r.duplicates,
    r.inFlightOnKilled,
    r.kills,
    r.recoveryMs.p50,
    r.recoveryMs.p99,
    r.recoveryMs.max,
    (r.durationMs / 1000).toFixed(1),
  ].join(" | ");
}

const rows: string[] = [];
for (const [name, deadAfterMs] of [
  ["deadAfterMs 1000", 1_000],
  ["defaults (10000)", undefined],
] as const) {
  const server = await startRedis({ aof: true });
  try {
    console.error(`running: ${name} …`);
    const report = await runStorm({
      target: server.url,
      workers: Number(values.workers),
      jobs: Number(values.jobs),
      killEveryMs: Number(values["kill-every"]),
      deadAfterMs,
      jobMs: 20,
      restartRedisAfterMs: 5_000,
      restartRedis: () => server.restart(1_000),
      timeoutMs: 30 * 60_000,
    });
    rows.push(row(name, report));
    console.error(JSON.stringify(report));
  } finally {
    await server.stop();
  }
}
console.log("run | jobs | completed | lost | duplicate runs | in flight on killed | kills | recovery p50 ms | p99 ms | max ms | seconds");
console.log("--- | --- | --- | --- | --- | --- | --- | --- | --- | --- | ---");
for (const r of rows) console.log(r);
