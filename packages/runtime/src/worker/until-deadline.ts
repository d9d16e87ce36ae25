/**
 * A bounded wait, for shutdown: a stop must end by its deadline whether Redis answers or not. What is
 * left unfinished loses nothing: a job whose outcome was not written keeps its lease only until the
 * lease expires, and a TaskManager then puts it back in its queue.
 */

/** Waits for `promise` until `deadline` (epoch ms); true when it settled in time. A rejection counts as settled. */
export async function untilDeadline(promise: Promise<unknown> | undefined, deadline: number): Promise<boolean> {
  if (promise === undefined) return true;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
