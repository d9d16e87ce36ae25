/**
 * Inspecting and operating queues: what the CLI, the REST API and alerts use.
 *
 * @module @taskq/runtime/admin
 */
export { QueueInspector, type QueueInspectorOptions, type QueueSelector, type JobPageOptions, type DeadJobPageQuery, type Page } from "./queue-inspector.js";
export { discoverQueues, type QueueRef } from "./queue-discovery.js";
export { maskCredentials } from "../redis/redis-url.js";
export { queueLabel } from "../queue-definition.js";
export type { QueueStats } from "./queue-stats.js";
export type { JobHistory, QueueHistory } from "./job-history.js";
export type { JobSummary, JobDetail } from "./job-record.js";
export { LISTABLE_STATES, type ListableState, type ListJobsOptions } from "./list-jobs.js";
export type { ActionResult } from "./job-actions.js";
export { AlertMonitor, type AlertMonitorOptions } from "../alerts/alert-monitor.js";
export type { AlertRule } from "../alerts/alert-rules.js";
export { logAlerts, webhookAlerts, type Alert, type AlertTarget, type WebhookOptions } from "../alerts/alert-targets.js";
