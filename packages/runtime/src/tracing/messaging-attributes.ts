/**
 * Span names and attributes after the OpenTelemetry semantic conventions for messaging
 * (https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/): the span is named
 * "{operation name} {queue}", the job's queue is the destination and its id the message id. taskq's
 * own attributes sit under `messaging.taskq.`.
 */

/** The `messaging.system` of taskq's spans. */
export const MESSAGING_SYSTEM = "taskq";

export const ATTR_SYSTEM = "messaging.system";
export const ATTR_DESTINATION = "messaging.destination.name";
export const ATTR_OPERATION_TYPE = "messaging.operation.type";
export const ATTR_OPERATION_NAME = "messaging.operation.name";
export const ATTR_MESSAGE_ID = "messaging.message.id";
export const ATTR_BATCH_COUNT = "messaging.batch.message_count";
/** The job type's name. */
export const ATTR_JOB_NAME = "messaging.taskq.job.name";
/** The 1-based number of the run a `process` span covers. */
export const ATTR_ATTEMPT = "messaging.taskq.attempt";
/** What became of the run: completed, retry, dead or release. */
export const ATTR_OUTCOME = "messaging.taskq.outcome";

/**
 * The operations: `send` (an enqueue; the conventions' former `publish`), `create` (one job of a bulk
 * enqueue, which a single `send` span links to), `process` (one run of a job).
 */
export type MessagingOperation = "send" | "create" | "process";

/** The attributes every span of one operation on one queue starts with. */
export function messagingAttributes(operation: MessagingOperation, queue: string, jobName: string): Record<string, string> {
  return {
    [ATTR_SYSTEM]: MESSAGING_SYSTEM,
    [ATTR_DESTINATION]: queue,
    [ATTR_OPERATION_TYPE]: operation,
    [ATTR_OPERATION_NAME]: operation,
    [ATTR_JOB_NAME]: jobName,
  };
}
