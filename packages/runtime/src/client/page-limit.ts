/**
 * The one bound on every list an operator reads (jobs, dead jobs, by REST, CLI or library): a read
 * costs Redis and the reader's memory in proportion to what it returns, so a page holds at most
 * 1 000 items and a caller pages on with the cursor it gets back.
 */
import { ConfigError } from "../errors.js";

/** The most items one page may ask for. */
export const MAX_PAGE_ITEMS = 1_000;

/** Items per page when none is asked for. */
export const DEFAULT_PAGE_ITEMS = 50;

/** `limit`, checked: a whole number from 1 to 1 000, `fallback` when undefined. */
export function pageLimit(limit: number | undefined, fallback = DEFAULT_PAGE_ITEMS): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_ITEMS) {
    throw new ConfigError(`limit must be a whole number from 1 to ${MAX_PAGE_ITEMS}, got ${String(limit).slice(0, 20)}: page on with the cursor instead`);
  }
  return limit;
}
