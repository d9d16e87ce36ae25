/** The rules for queue and job names, and how a job name becomes part of a TypeScript identifier. */

/** Same rule the runtime enforces: names end up in Redis keys. */
export const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** `tweet` → `Tweet`, `send-email` → `SendEmail`, `report.v2` → `ReportV2`. */
export function pascalCase(name: string): string {
  return name
    .split(/[._-]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
}

/** True when `name` can be written bare as a property key or identifier. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/**
 * Names the generated code itself declares or imports; a user type or class with one of these names
 * would clash with them.
 */
export const RESERVED_NAMES = new Set([
  "Client",
  "ClientOptions",
  "Codec",
  "EnqueueOptions",
  "JobContext",
  "JobDefinition",
  "JobHandle",
  "JobMap",
  "JobName",
  "PayloadOf",
  "QueueRegistration",
  "ResultOf",
  "RuntimeWorkerOptions",
  "Schedule",
  "ScheduleHandle",
  "TaskqClient",
  "Type",
  "Void",
  "Worker",
  "WorkerJobs",
  "WorkerOptions",
]);
