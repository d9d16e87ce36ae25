/** The six workloads of issue 5, in their numbered order. */
import { bulkEnqueue } from "./bulk-enqueue.js";
import { drain } from "./drain.js";
import { latency } from "./latency.js";
import { memory } from "./memory.js";
import { mixed } from "./mixed.js";
import { singleEnqueue } from "./single-enqueue.js";
import type { Workload } from "./workload.js";

export function allWorkloads(scale: number): Workload[] {
  return [bulkEnqueue(scale), singleEnqueue(scale), drain(scale), latency(scale), memory(scale), mixed(scale)];
}
