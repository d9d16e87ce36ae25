/** The handle of a job of a sharded queue whose shard its explicit id does not tell for sure. */
import { lazyProgress, onProgress } from "./job-progress.js";
import type { JobHandle } from "./job-handle.js";

/**
 * A handle that looks for its job's shard on its first call (and again on later calls while the job
 * is found nowhere, when it uses the shard its id hashes to).
 */
export function locatingHandle<R>(named: JobHandle<R>, locate: () => Promise<JobHandle<R> | undefined>): JobHandle<R> {
  let found: JobHandle<R> | undefined;
  const handle = async (): Promise<JobHandle<R>> => (found ??= await locate()) ?? named;
  return {
    id: named.id,
    name: named.name,
    queue: named.queue,
    result: (options) => handle().then((h) => h.result(options)),
    state: () => handle().then((h) => h.state()),
    cancel: () => handle().then((h) => h.cancel()),
    setPriority: (priority) => handle().then((h) => h.setPriority(priority)),
    progress: (options) => lazyProgress(() => handle().then((h) => h.progress(options))),
    onProgress: (listener, options) =>
      onProgress(
        lazyProgress(() => handle().then((h) => h.progress(options))),
        listener,
      ),
  };
}
