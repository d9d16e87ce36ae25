/**
 * The storage layer: one typed function per Lua script (packages/runtime/src/scripts/), each taking
 * a typed input and returning its decoded reply, and the job record's schema and decoder. The only
 * code that runs scripts (redis/scripts.ts holds the loading and EVALSHA mechanics) and that names
 * record fields. Internal: not exported from the package.
 */
export { JOB_STATES, JOB_RECORD_FIELDS, type JobState, type JobRecord, type JobFieldCode, type FieldKind } from "./job-record-schema.js";
export { decodeJobRecord, decodeJobFields, parseJobState, SUMMARY_FIELDS, DEAD_JOB_FIELDS } from "./job-record.js";
export { readJobState, readJobNames, readJobProgress, type StoredProgress } from "./read-job.js";
export { countActive, activeIds, LEASE_SCORES } from "./active-index.js";
export { readJobFields, jobExists, parsePendingEntry, payloadOfEntry, type PendingEntry } from "./pending-job.js";
export { leaseFields, leaseHolder, type LeaseFields } from "./lease.js";
export { writeProgress, appendLog, jobLogKey } from "./job-output.js";
export {
  enqueueBatch,
  enqueueKeys,
  addEnqueueFields,
  addPackedJob,
  addSharedJob,
  sharedOptions,
  packEnqueueOptions,
  enqueueJobs,
  pipeEnqueue,
  decodeEnqueueReply,
  type EnqueueBatch,
  type EnqueueFields,
  type EnqueueReply,
  type SharedOptions,
} from "./enqueue.js";
export type { ReplyMode } from "../redis/scripts.js";
export { fetchJobs, parseFetchReply, type FetchInput, type FetchReply } from "./fetch.js";
export { completeJobs, type Completion, type CompleteReply } from "./complete.js";
export { failJob, type FailInput } from "./fail.js";
export { heartbeat, type HeartbeatInput } from "./heartbeat.js";
export { reclaimExpired, type ReclaimInput, type ReclaimReply } from "./reclaim-expired.js";
export { watchJob, type WatchedJob } from "./watch-job.js";
export { cancelJob, setJobPriority, promoteJob, type JobRef } from "./job-actions.js";
export { retryDeadJobs, purgeDeadJobs, type DeadJobsInput } from "./dead-letters.js";
export { advanceSchedule, type AdvanceScheduleInput } from "./advance-schedule.js";
