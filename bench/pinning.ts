/**
 * Puts the bench's own `redis-server` and the bench process on different cores with `taskset`, so
 * that a system's figures are its own cost and not the scheduler's choice of which of the two waits
 * for the other on a shared core. Each process is pinned with all its threads (`-a`: Redis's
 * background threads, Node's libuv and GC threads); threads started later inherit the mask.
 *
 * Pinning needs `taskset`, two or more cores this process may run on, and a server the bench
 * started itself (one given with `--redis` may be anywhere). Without any of them the bench runs
 * unpinned and says why; it never fails for that.
 */
import { execFileSync } from "node:child_process";

export interface Pinning {
  readonly pinned: boolean;
  /** One line for the output: where each process runs, or why nothing was pinned. */
  readonly summary: string;
  readonly redisCore?: number;
  readonly benchCore?: number;
}

export function pinProcesses(redisPid: number | undefined): Pinning {
  const unpinned = (why: string): Pinning => ({ pinned: false, summary: `not pinned: ${why}` });
  let cores: number[];
  try {
    cores = allowedCores(process.pid);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    return unpinned(missing ? "taskset not found (install util-linux)" : `taskset failed: ${(error as Error).message}`);
  }
  if (cores.length < 2) return unpinned(`only one core available (${cores.join(",")}); Redis and the bench share it`);
  if (redisPid === undefined) return unpinned("Redis is external (--redis), so it cannot be pinned from here");
  const [redisCore, benchCore] = cores;
  try {
    execFileSync("taskset", ["-a", "-cp", String(redisCore), String(redisPid)], { stdio: "ignore" });
    execFileSync("taskset", ["-a", "-cp", String(benchCore), String(process.pid)], { stdio: "ignore" });
  } catch (error) {
    return unpinned(`taskset failed: ${(error as Error).message}`);
  }
  // Read back, so the output states what holds, not what was asked.
  const redisNow = allowedCores(redisPid),
    benchNow = allowedCores(process.pid);
  if (redisNow.join() !== String(redisCore) || benchNow.join() !== String(benchCore)) {
    return unpinned(`taskset did not hold (redis-server on ${redisNow.join(",")}, bench on ${benchNow.join(",")})`);
  }
  return {
    pinned: true,
    redisCore,
    benchCore,
    summary: `pinned with taskset: redis-server (pid ${redisPid}) on core ${redisCore}, the bench process (pid ${process.pid}, producer and worker) on core ${benchCore}`,
  };
}

/** The cores a process may run on, from `taskset -cp` ("pid 1's current affinity list: 0,2-3"). */
function allowedCores(pid: number): number[] {
  const out = execFileSync("taskset", ["-cp", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const list = out.slice(out.lastIndexOf(":") + 1).trim();
  const cores: number[] = [];
  for (const part of list.split(",")) {
    const [from, to = from] = part.split("-").map(Number);
    for (let c = from; c <= to; c++) cores.push(c);
  }
  return cores;
}
