/**
 * One answer from a one-shot `kiro-dock chat`, for while the daemon is down: the request as a transcript on its
 * stdin, the answer streamed from its stdout, the reason of a failure from its stderr.
 */
import { spawn } from 'node:child_process';
import { transcriptOf, type TranscriptMessage } from '../daemon/transcriptTurns.ts';
import type { KiroDockCommand } from './daemonProcess.ts';
import { KiroDockError } from './kiroDockError.ts';

export interface ClientRequest {
  /** A flat prompt (`User: …\n\nAssistant: `), or… */
  prompt?: string;
  /** …Anthropic-shaped turns (the one-shot fallback takes text content only). */
  messages?: Array<{ role: string; content: unknown }>;
  system?: string;
  model?: string;
  max_tokens?: number;
}

/** `kiro-dock chat: <message> [<type>]`, its last stderr line on failure. */
const CHAT_FAILURE = /^kiro-dock chat: (.*?)(?: \[([\w-]+)\])?$/;

export async function runChatOnce(
  spec: KiroDockCommand,
  request: ClientRequest,
  onText: (chunk: string) => void,
): Promise<void> {
  const prompt = promptOf(request);
  const model = request.model === undefined ? [] : ['--model', request.model];
  const child = spawn(spec.command, [...spec.args, 'chat', ...spec.flags, ...model], {
    env: spec.env ?? process.env,
    cwd: spec.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => onText(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
  child.stdin.on('error', () => {}); // it died before reading: its exit status says why
  child.stdin.end(prompt);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new KiroDockError('chat_failed', error.message)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      reject(failureOf(stderr, signal ? `killed by ${signal}` : `status ${code}`));
    });
  });
}

function failureOf(stderr: string, how: string): KiroDockError {
  const lines = stderr.trim().split('\n');
  const match = lines.map((line) => CHAT_FAILURE.exec(line)).findLast((found) => found !== null);
  if (match) return new KiroDockError(match[2] ?? 'chat_failed', match[1]!);
  return new KiroDockError('chat_failed', `kiro-dock chat exited (${how}): ${lines.at(-1) ?? ''}`.trim());
}

/** The request as the transcript `kiro-dock chat` reads. */
function promptOf(request: ClientRequest): string {
  const system = request.system === undefined ? '' : `System: ${request.system}\n\n`;
  if (request.prompt !== undefined) return system + request.prompt;
  const messages: TranscriptMessage[] = (request.messages ?? []).map((message) => ({
    role: message.role === 'assistant' ? 'assistant' : 'user',
    content: textOf(message.content),
  }));
  return transcriptOf({ system: request.system, messages });
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  const blocks = Array.isArray(content) ? content : [];
  if (blocks.every((block) => (block as { type?: unknown }).type === 'text'))
    return blocks.map((block) => (block as { text: string }).text).join('\n');
  throw new KiroDockError(
    'invalid_request_error',
    'while the daemon restarts, the one-shot fallback takes text messages only; retry shortly',
  );
}
