/**
 * Throughput of the event-stream decoder against the reference codec (@smithy/eventstream-codec) on the same
 * bytes: a realistic Kiro answer (many short text deltas, a few long tool calls) of about 1 MB.
 *
 * Ours is fed the stream in 16 KiB chunks and does its own framing. Smithy's EventStreamCodec only decodes
 * one complete frame at a time, so it gets the frames pre-split, and the splitting is not timed.
 *
 *   npx tsx bench/decoderBench.ts
 */
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { EventStreamDecoder } from '../electron/core/kiro/eventStreamDecoder.ts';
import { encodeKiroEvent } from '../electron/core/kiro/eventStreamEncoder.ts';
import { createKiroEventDecoder } from '../electron/core/kiro/kiroEventDecoder.ts';

const CHUNK_SIZE = 16 * 1024;
const WARMUP_RUNS = 40;
const MEASURED_RUNS = 41;

/** Deterministic, so every run of the benchmark measures the same stream. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS = 'the decoder reads frames from é café 漢字 each chunk and emits typed events quickly 🎉'.split(
  ' ',
);

function randomText(random: () => number, minLength: number, maxLength: number): string {
  const target = minLength + Math.floor(random() * (maxLength - minLength + 1));
  let text = '';
  while (text.length < target) text += `${WORDS[Math.floor(random() * WORDS.length)]} `;
  return text.slice(0, target);
}

function buildKiroStream(): Buffer {
  const random = seededRandom(42);
  const frames: Buffer[] = [];
  for (let turn = 0; turn < 10; turn++) {
    for (let i = 0; i < 200; i++) {
      frames.push(encodeKiroEvent('assistantResponseEvent', { content: randomText(random, 5, 40) }));
    }
    const tool = { toolUseId: `tooluse_${turn}`, name: 'Write' };
    frames.push(encodeKiroEvent('toolUseEvent', { ...tool, input: '' }));
    for (let i = 0; i < 100; i++) {
      frames.push(
        encodeKiroEvent('toolUseEvent', { ...tool, input: JSON.stringify(randomText(random, 200, 1000)) }),
      );
    }
    frames.push(encodeKiroEvent('toolUseEvent', { ...tool, stop: true }));
  }
  frames.push(encodeKiroEvent('meteringEvent', { usage: 0.42, unit: 'credit' }));
  frames.push(encodeKiroEvent('contextUsageEvent', { contextUsagePercentage: 12.5 }));
  return Buffer.concat(frames);
}

function splitFrames(stream: Buffer): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < stream.length; offset += stream.readUInt32BE(offset)) {
    frames.push(stream.subarray(offset, offset + stream.readUInt32BE(offset)));
  }
  return frames;
}

function chunk(stream: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < stream.length; offset += size)
    chunks.push(stream.subarray(offset, offset + size));
  return chunks;
}

const stream = buildKiroStream();
const chunks = chunk(stream, CHUNK_SIZE);
const frames = splitFrames(stream);
const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Each contender returns the payload bytes it saw, checked below so no work can be optimised away. */
const contenders: Record<string, () => number> = {
  ours() {
    const decoder = new EventStreamDecoder();
    let payloadBytes = 0;
    for (const piece of chunks)
      for (const message of decoder.push(piece)) payloadBytes += message.payload.length;
    decoder.end();
    return payloadBytes;
  },
  smithy() {
    let payloadBytes = 0;
    for (const frame of frames) payloadBytes += codec.decode(frame).body.length;
    return payloadBytes;
  },
  oursWithKiroEvents() {
    const decoder = createKiroEventDecoder();
    let events = 0;
    for (const piece of chunks) events += decoder.push(piece).length;
    decoder.end();
    return events;
  },
};

function timeRun(run: () => number): { ms: number; result: number } {
  const start = process.hrtime.bigint();
  const result = run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const names = Object.keys(contenders);
const timings: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
const results = new Map<string, number>();
for (let round = 0; round < WARMUP_RUNS + MEASURED_RUNS; round++) {
  // Rotate the order every round, so drift and GC pauses hit all contenders alike.
  for (let i = 0; i < names.length; i++) {
    const name = names[(round + i) % names.length]!;
    const { ms, result } = timeRun(contenders[name]!);
    results.set(name, result);
    if (round >= WARMUP_RUNS) timings[name]!.push(ms);
  }
}
if (results.get('ours') !== results.get('smithy') || results.get('oursWithKiroEvents') !== frames.length) {
  throw new Error(
    `decoders disagree: ${JSON.stringify(Object.fromEntries(results))}, ${frames.length} frames`,
  );
}

const megabytes = stream.length / 1e6;
const throughput = (name: string) => megabytes / (median(timings[name]!) / 1000);
const ours = throughput('ours');
const smithy = throughput('smithy');
const withEvents = throughput('oursWithKiroEvents');
console.log(
  `Stream: ${frames.length} frames, ${megabytes.toFixed(2)} MB, fed to ours in ${CHUNK_SIZE / 1024} KiB chunks`,
);
console.log('Smithy EventStreamCodec.decode gets pre-split whole frames; the splitting is not timed.');
console.log(`Median of ${MEASURED_RUNS} interleaved runs after ${WARMUP_RUNS} warm-up runs each:`);
console.log(`  ours (framing + headers + CRCs)       ${ours.toFixed(1)} MB/s`);
console.log(`  smithy EventStreamCodec (per frame)   ${smithy.toFixed(1)} MB/s`);
console.log(`  ratio ours / smithy                   ${(ours / smithy).toFixed(2)}×`);
console.log(`  ours + Kiro event mapping (JSON)      ${withEvents.toFixed(1)} MB/s`);
console.log('\n| stream | ours MB/s | smithy MB/s | ours / smithy | ours + Kiro events MB/s |');
console.log('| --- | --- | --- | --- | --- |');
console.log(
  `| ${frames.length} frames, ${megabytes.toFixed(2)} MB, ${CHUNK_SIZE / 1024} KiB chunks | ${ours.toFixed(1)} | ` +
    `${smithy.toFixed(1)} | ${(ours / smithy).toFixed(2)}× | ${withEvents.toFixed(1)} |`,
);
