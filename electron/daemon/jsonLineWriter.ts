/**
 * JSON objects out, one per line, each in a single write so lines of concurrent answers never interleave.
 * A slow reader slows the answers (the write waits for `drain`) instead of growing a buffer; a reader that went
 * away (EPIPE) marks the writer broken, and later writes are dropped.
 */

export interface JsonLineWriter {
  write(line: object): Promise<void>;
  /** The reader went away: nothing written any more reaches anyone. */
  readonly broken: boolean;
}

export interface LineOutput {
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * `write` is passed apart from the stream because the daemon keeps the real one for itself and points
 * process.stdout.write elsewhere.
 */
export function createJsonLineWriter(
  output: LineOutput,
  write: (text: string) => boolean,
  onBroken: (error: Error) => void,
): JsonLineWriter {
  let broken = false;
  output.on('error', (error) => {
    if (broken) return;
    broken = true;
    onBroken(error);
  });
  return {
    get broken() {
      return broken;
    },
    async write(line) {
      if (broken) return;
      if (!write(`${toJsonLine(line)}\n`)) await drained(output);
    },
  };
}

/**
 * JSON.stringify leaves U+2028 and U+2029 unescaped; they are line breaks to some line readers (Python's
 * str.splitlines), which would cut a line in two.
 */
export function toJsonLine(value: object): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

function drained(output: LineOutput): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      output.off('drain', done);
      output.off('close', done);
      resolve();
    };
    output.once('drain', done);
    output.once('close', done);
  });
}
