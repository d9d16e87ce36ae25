/**
 * Which node of a test cluster serves a key: `CLUSTER KEYSLOT`, then the master whose slot ranges in
 * `CLUSTER NODES` contain it. A failover test kills exactly that node's process.
 */
import { execFile, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import type { TestCluster } from "./redis-cluster.js";

const run = promisify(execFile);

async function cli(port: number, ...args: string[]): Promise<string> {
  return (await run("redis-cli", ["-p", String(port), ...args])).stdout;
}

export interface SlotOwner {
  readonly id: string;
  readonly slot: number;
  readonly port: number;
  readonly process: ChildProcess;
}

/** The live master serving `key`, asked of `askPort` (any node that is up). */
export async function masterOf(cluster: TestCluster, key: string, askPort = cluster.nodes[0].port): Promise<SlotOwner> {
  const slot = Number((await cli(askPort, "cluster", "keyslot", key)).trim());
  for (const line of (await cli(askPort, "cluster", "nodes")).trim().split("\n")) {
    // <id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <epoch> <link-state> <slot> <slot> ...
    const [id, address, flags, , , , , , ...ranges] = line.split(" ");
    if (!flags.split(",").includes("master") || flags.includes("fail")) continue;
    const serves = ranges.some((range) => {
      const [from, to = from] = range.split("-").map(Number);
      return slot >= from && slot <= to;
    });
    if (!serves) continue;
    const port = Number(address.split("@")[0].split(":")[1]);
    const index = cluster.nodes.findIndex((n) => n.port === port);
    return { id, slot, port, process: cluster.processes[index] };
  }
  throw new Error(`no live master serves slot ${slot} of ${key}`);
}

/** The processes of the replicas of the master with node id `masterId`. */
export async function replicasOf(cluster: TestCluster, masterId: string, askPort = cluster.nodes[0].port): Promise<ChildProcess[]> {
  const lines = (await cli(askPort, "cluster", "nodes")).trim().split("\n");
  return lines
    .map((line) => line.split(" "))
    .filter(([, , flags, master]) => flags.includes("slave") && master === masterId)
    .map(([, address]) => cluster.processes[cluster.nodes.findIndex((n) => n.port === Number(address.split("@")[0].split(":")[1]))]);
}
