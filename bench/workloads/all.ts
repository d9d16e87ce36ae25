/** The workloads in their numbered order: the six of issue 5, then issue 18's two web-shaped ones. */
import { bulkEnqueue } from "./bulk-enqueue.js";
import { burst } from "./burst.js";
import { drain } from "./drain.js";
import { ioDrain } from "./io-drain.js";
import { latency } from "./latency.js";
import { memory } from "./memory.js";
import { mixed } from "./mixed.js";
import { singleEnqueue } from "./single-enqueue.js";
import type { Workload } from "./workload.js";

export function allWorkloads(scale: number): Workload[] {
  return [bulkEnqueue(scale), singleEnqueue(scale), drain(scale), latency(scale), memory(scale), mixed(scale), burst(scale), ioDrain(scale)];
}
