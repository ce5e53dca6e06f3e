/**
 * Lines from a byte stream, each decoded whole (a multi-byte character split across reads stays intact), with a
 * cap: a line longer than `maxBytes` is dropped as it arrives instead of growing a buffer without end, and
 * reported as too long so the caller can say so and carry on with the next line.
 */

export interface InputLine {
  /** Without the line ending (`\n` or `\r\n`); empty when the line was too long. */
  text: string;
  /** 1-based, for error messages. */
  number: number;
  tooLong: boolean;
}

const NEWLINE = 0x0a;

export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  maxBytes: number,
): AsyncGenerator<InputLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let number = 0;
  const take = (): InputLine => {
    number += 1;
    const text = tooLong ? '' : Buffer.concat(parts, size).toString('utf8').replace(/\r$/, '');
    const line = { text, number, tooLong };
    parts = [];
    size = 0;
    tooLong = false;
    return line;
  };
  for await (const chunk of input) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE)) {
      keep(bytes.subarray(0, end));
      yield take();
      bytes = bytes.subarray(end + 1);
    }
    keep(bytes);
  }
  if (size > 0 || tooLong) yield take();

  function keep(bytes: Buffer): void {
    if (tooLong || bytes.length === 0) return;
    if (size + bytes.length > maxBytes) {
      tooLong = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(bytes);
    size += bytes.length;
  }
}
