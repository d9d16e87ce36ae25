// eslint-disable-next-line @typescript-eslint/no-unused-vars -- named by the {@link} below
import type { QueueOptions } from "./queue-options.js";

/** The five priorities, most urgent first. */
export const PRIORITIES = ["critical", "high", "normal", "low", "batch"] as const;
/** A job's priority: which waiting jobs a worker takes first (see {@link QueueOptions.priorities}). */
export type Priority = (typeof PRIORITIES)[number];

/**
 * The weighted-fair shares of a queue that sets no `priorities`, from critical to batch: one weight per
 * priority (the fetch script reads exactly `PRIORITIES.length`), so adding a priority without a weight
 * fails to compile here.
 */
export const DEFAULT_PRIORITY_WEIGHTS = [16, 8, 4, 2, 1] as const satisfies { readonly length: (typeof PRIORITIES)["length"] };
