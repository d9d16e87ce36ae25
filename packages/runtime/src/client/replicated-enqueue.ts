/**
 * A `durable` enqueue: the enqueue script and `WAIT` on one connection, sent again when a cluster node
 * refused the script (a redirection), refused with E_NOT_DURABLE when too few replicas confirmed it.
 */
import { Cluster } from "ioredis";
import { TaskqError } from "../errors.js";
import type { RedisClient } from "../redis/connection.js";
import { decodeEnqueueReply, pipeEnqueue, type EnqueueBatch, type EnqueueReply } from "../store/index.js";
import type { Durability } from "./durability.js";

/**
 * The enqueue script, then `WAIT replicas timeoutMs`, in one pipeline. WAIT counts the replicas that
 * acknowledged every earlier write *of its own connection*, so it must follow the script on the
 * same socket: a pipeline gives that on one Redis and on a Cluster alike (ioredis routes a
 * pipeline by its keys' slot, and the keyless WAIT rides along to the node that ran the script),
 * where a separate WAIT routed by slot could land on a new master after a failover and confirm
 * nothing.
 */
export async function writeReplicated(redis: RedisClient, batch: EnqueueBatch, durable: Durability): Promise<EnqueueReply> {
  for (let attempt = 1; ; attempt++) {
    const pipeline = pipeEnqueue(redis, batch);
    pipeline.wait(durable.replicas, durable.timeoutMs);
    const [[scriptError, reply], [waitError, acked]] = (await pipeline.exec()) as Array<[Error | null, unknown]>;
    // ioredis follows a redirection only when every command of a pipeline got it, which WAIT never
    // does. The node refused the script, so nothing was written: learn the new owner and send again.
    if (scriptError && NOT_RUN.test(scriptError.message) && attempt < MAX_REDIRECTIONS) {
      if (redis instanceof Cluster) await new Promise<void>((resolve) => redis.refreshSlotsCache(() => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (scriptError) throw scriptError;
    if (waitError) throw waitError;
    const decoded = decodeEnqueueReply(reply, batch);
    if (Number(acked) < durable.replicas && decoded.ids) {
      const ids = decoded.ids.join(", ");
      throw new TaskqError(
        "E_NOT_DURABLE",
        `job ${ids} was written, but ${String(acked)} of ${durable.replicas} replicas confirmed it within ${durable.timeoutMs} ms; a failover now could lose it: enqueue again with the same jobId to be sure`,
      );
    }
    return decoded;
  }
}

/** Replies by which a cluster node refuses a command without running it. */
const NOT_RUN = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN)\b/;
const MAX_REDIRECTIONS = 16;
