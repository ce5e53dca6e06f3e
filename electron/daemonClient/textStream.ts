/** Text pieces pushed by a producer, read with `for await`; the producer's failure is thrown to the reader. */

export interface TextStream extends AsyncIterable<string> {
  push(chunk: string): void;
  end(): void;
  fail(error: unknown): void;
}

export function createTextStream(): TextStream {
  const queued: string[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(chunk) {
      queued.push(chunk);
      notify();
    },
    end() {
      finished = true;
      notify();
    },
    fail(error) {
      failure ??= { error };
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queued.length > 0) yield queued.shift()!;
        if (failure) throw failure.error;
        if (finished) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
