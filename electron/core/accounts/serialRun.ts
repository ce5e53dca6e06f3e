/**
 * A task that runs one at a time, where a request made while it runs gets one more run after it, never none:
 * a change noticed during a sync may have been read too late by that sync. Requests made meanwhile share it.
 */
export function serialRun(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const run = (): Promise<void> => {
    if (!running) {
      running = task().finally(() => (running = undefined));
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return run();
      });
    return queued;
  };
  return run;
}
