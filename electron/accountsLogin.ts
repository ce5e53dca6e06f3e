/**
 * `kiro-dock accounts login`: sign in to Kiro without the IDE and add the login to the pool, on the same data
 * folder and secret store as `serve` (a running `serve` picks the account up by itself). Ctrl-C cancels.
 */
import readline from 'node:readline';
import type { parseArgs } from 'node:util';
import {
  BUILDER_ID_START_URL,
  resolveSignInEndpoints,
  signIn,
  SignInError,
  type DevicePrompt,
  type SignInRequest,
  type SocialPrompt,
} from './core/index.ts';
import { systemClock } from './core/ports.ts';
import { checkAccountStoreFlags, openAccountRepository } from './accountsStore.ts';
import { HELP_OPTION } from './cli/cliCommand.ts';
import { parseCommandArgs } from './cli/commandArgs.ts';
import { UsageError } from './cli/usageError.ts';
import { openBrowser } from './openBrowser.ts';
import { errorMessage } from '../shared/errorMessage.ts';

export const LOGIN_HELP = `Usage: kiro-dock accounts login --builder-id [--start-url URL] [--region R] [--no-browser]
       kiro-dock accounts login --social google|github [--no-browser]

  --builder-id          AWS Builder ID; with --start-url, your IAM Identity Center (and its --region)
  --social P            Google or GitHub through Kiro's sign-in page; paste the address the browser ends on
  --account ID          Sign in again for this account (the way it signed in before, unless you give one):
                        it keeps its id, label and history
  --label L             The new account's label
  --no-browser          Only print the URL to open

Common options: --data-dir DIR, --secret-store auto|keychain|file (as for serve)
Exit status: 0 signed in; 1 denied, expired or failed; 130 cancelled.
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  'secret-store': { type: 'string' },
  'builder-id': { type: 'boolean' },
  'start-url': { type: 'string' },
  region: { type: 'string' },
  social: { type: 'string' },
  account: { type: 'string' },
  label: { type: 'string' },
  'no-browser': { type: 'boolean' },
  ...HELP_OPTION,
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

export async function runAccountsLogin(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs({ name: 'accounts login', usage: LOGIN_HELP, options: OPTIONS }, argv);
  if (values.help) {
    out(LOGIN_HELP);
    return 0;
  }
  const request = loginRequest(values);
  checkAccountStoreFlags(values, LOGIN_HELP);
  const repository = await openAccountRepository(values, { withSecrets: true });
  const cancel = new AbortController();
  const onSigint = () => cancel.abort();
  process.once('SIGINT', onSigint);
  const browser = !values['no-browser'];
  // The system clock's timers never keep a process alive; this command must live until the sign-in ends.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    const { account, renewed } = await signIn(
      {
        repository,
        clock: systemClock,
        endpoints: resolveSignInEndpoints(process.env['KIRO_DOCK_UPSTREAM_URL'] || undefined),
      },
      request,
      {
        signal: cancel.signal,
        onDevicePrompt: (prompt) => void showDevicePrompt(prompt, browser, out),
        onSocialPrompt: (prompt) => void askForRedirect(prompt, browser, out, cancel.signal),
      },
    );
    out(
      `${renewed ? 'Signed in again' : 'Signed in'}: ${account.id} (${account.label})${account.profileArn ? `, profile ${account.profileArn}` : ''}.`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    process.stderr.write(`kiro-dock: ${error.message}\n`);
    return error.failure === 'cancelled' ? 130 : 1;
  } finally {
    clearInterval(keepAlive);
    process.off('SIGINT', onSigint);
  }
}

const usageError = (problem: string, fix: string) => new UsageError(problem, fix, LOGIN_HELP);

function loginRequest(flags: Flags): SignInRequest {
  const common = { accountId: flags.account, label: flags.label };
  if (flags.social !== undefined) {
    if (flags['builder-id'])
      throw usageError('--builder-id and --social are two ways to sign in.', 'Choose one of them.');
    const provider = flags.social.toLowerCase();
    if (provider !== 'google' && provider !== 'github')
      throw usageError(
        `--social takes google or github, not ${JSON.stringify(flags.social)}.`,
        'For example: --social github.',
      );
    return { method: 'social', provider, ...common };
  }
  if (!flags['builder-id']) {
    if (flags.account !== undefined) return common;
    throw usageError('accounts login needs a way to sign in.', 'Add --builder-id or --social google|github.');
  }
  const startUrl = flags['start-url'];
  if (startUrl === undefined || startUrl === BUILDER_ID_START_URL) {
    if (flags.region !== undefined && flags.region !== 'us-east-1')
      throw usageError(
        'AWS Builder ID signs in in us-east-1.',
        '--region goes with the --start-url of an IAM Identity Center.',
      );
    return { method: 'builder-id', ...common };
  }
  return { method: 'idc', startUrl, region: flags.region ?? 'us-east-1', ...common };
}

async function showDevicePrompt(prompt: DevicePrompt, browser: boolean, out: (line: string) => void) {
  const minutes = Math.round((prompt.expiresAt - systemClock.now()) / 60_000);
  out(`To sign in, open ${prompt.verificationUriComplete}`);
  out(`and check that it shows the code ${prompt.userCode} (valid for ${minutes} minutes).`);
  if (browser && !(await openBrowser(prompt.verificationUriComplete)))
    out('(Could not open a browser; open the address yourself.)');
  out('Waiting for the approval… (Ctrl-C cancels)');
}

async function askForRedirect(
  prompt: SocialPrompt,
  browser: boolean,
  out: (line: string) => void,
  signal: AbortSignal,
) {
  out(`To sign in, open ${prompt.loginUrl}`);
  if (browser && !(await openBrowser(prompt.loginUrl)))
    out('(Could not open a browser; open the address yourself.)');
  out('When the browser ends on an address starting with');
  out(`  ${prompt.redirectUri}`);
  out('paste that whole address here and press Enter (Ctrl-C cancels):');
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  signal.addEventListener('abort', () => lines.close(), { once: true });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    try {
      prompt.complete(line);
      break;
    } catch (error) {
      out(errorMessage(error));
    }
  }
  lines.close();
}
