/**
 * `kiro-dock chat`: one prompt, one answer — the prompt on stdin (plain text, or the `User:` / `Assistant:`
 * transcript form the daemon takes), the answer on stdout as it streams, exit status 0; on failure the reason on
 * stderr and a non-zero status. The daemon's one-shot fallback, on the same accounts and settings.
 */
import { HELP_OPTION, type CliCommand } from '../cli/cliCommand.ts';
import { parseCommandArgs } from '../cli/commandArgs.ts';
import {
  checkHeadlessFlags,
  createHeadlessCore,
  HEADLESS_OPTIONS,
  openHostStores,
  type HeadlessFlags,
} from '../headlessHost.ts';
import { checkedModel, coreAnswerer, describeFailure, DEFAULT_MODEL } from './coreAnswerer.ts';
import { daemonPromptOf } from './daemonRequest.ts';

export const CHAT_HELP = `Usage: kiro-dock chat [options] < prompt.txt

Sends the prompt read from stdin (plain text, or a "User: …\\n\\nAssistant: " transcript) and writes the answer
to stdout as it arrives. Exit status 0 on success; otherwise the reason on stderr and status 1 (2: no prompt).

Options:
  --model MODEL           Model (default ${DEFAULT_MODEL})
  --data-dir, --secret-store, --kiro-auth-dir, --no-ide, --region, --log-level (default error), --log-file
                          As for serve: the same accounts and settings
`;

export interface ChatFlags extends HeadlessFlags {
  model?: string;
}

const OPTIONS = {
  ...HEADLESS_OPTIONS,
  model: { type: 'string' },
  ...HELP_OPTION,
} as const;

export const chatCommand: CliCommand = {
  summary: 'One prompt on stdin, its answer on stdout',
  async run(args, { version }) {
    const { values } = parseCommandArgs({ name: 'chat', usage: CHAT_HELP, options: OPTIONS }, args);
    if (values.help) {
      process.stdout.write(CHAT_HELP);
      return 0;
    }
    checkHeadlessFlags(values, CHAT_HELP);
    return runChat(values, version);
  },
};

export async function runChat(flags: ChatFlags, version: string): Promise<number> {
  const model = checkedModel(flags.model);
  const text = await readAll(process.stdin);
  const prompt = daemonPromptOf({ prompt: text });
  if (typeof prompt === 'string') {
    const what =
      text.trim() === '' ? 'no prompt on stdin' : 'the prompt on stdin has no User: text to answer';
    process.stderr.write(`kiro-dock chat: ${what}; pipe one in, e.g. echo "Hello" | kiro-dock chat\n`);
    return 2;
  }
  // A one-shot command says nothing on success unless asked: stderr stays for the reason of a failure.
  const quiet = {
    ...flags,
    'log-level': flags['log-level'] ?? process.env['KIRO_DOCK_LOG_LEVEL'] ?? 'error',
  };
  const { core, logger } = await createHeadlessCore(quiet, await openHostStores(flags), {
    version,
    withoutClientKey: true,
  });
  try {
    await core.start();
    await coreAnswerer(core, model)(prompt, {
      stream: true,
      signal: new AbortController().signal,
      onText: (text) => writeOut(text),
    });
    // On a terminal the prompt comes back on a line of its own; a program reading stdout gets the answer exactly.
    if (process.stdout.isTTY) await writeOut('\n');
    return 0;
  } catch (error) {
    const { type, message } = describeFailure(logger)(error);
    process.stderr.write(`kiro-dock chat: ${message} [${type}]\n`);
    return 1;
  } finally {
    core.dispose();
  }
}

async function readAll(input: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(text, (error) => (error ? reject(error) : resolve())),
  );
}
