/**
 * AWS Builder ID and IAM Identity Center sign-in through the SSO-OIDC device authorization flow (docs/sign-in.md):
 * register a public client, start a device authorization for the start URL, hand the user code and the
 * verification URL to the caller, then poll CreateToken at the interval the service asked for, slower after each
 * `slow_down`, until the user approves, denies, or the code expires. Every wait goes through the Clock, every
 * call and wait ends at once when `signal` aborts, and the whole flow ends when the code's lifetime is over.
 */
import type { Clock } from '../ports.ts';
import { oidcHeaders } from '../kiro/kiroHeaders.ts';
import { cancelledError, SignInError } from './signInError.ts';
import { callJson, numberField, stringField } from './signInHttp.ts';
import type { SignInEndpoints } from './signInEndpoints.ts';

export const BUILDER_ID_START_URL = 'https://view.awsapps.com/start';
/** The scopes Kiro's own client registers with. */
export const KIRO_OIDC_SCOPES = [
  'codewhisperer:completions',
  'codewhisperer:analysis',
  'codewhisperer:conversations',
];
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628: 5 s when the service names no interval, 5 s more after each slow_down. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_STEP_MS = 5000;
/** Bounds on what the service says, so a bad answer can neither spin nor hang the flow. */
const INTERVAL_BOUNDS_S = [1, 60] as const;
const LIFETIME_BOUNDS_S = [60, 1800] as const;

export interface DevicePrompt {
  userCode: string;
  verificationUri: string;
  /** The URL with the code filled in: what the browser opens. */
  verificationUriComplete: string;
  /** Epoch ms (wall clock) when the code stops working. */
  expiresAt: number;
}

export interface DeviceSignInOptions {
  startUrl: string;
  /** The OIDC region: us-east-1 for Builder ID, the Identity Center's region otherwise. */
  region: string;
  signal?: AbortSignal;
  onPrompt(prompt: DevicePrompt): void;
}

export interface DeviceTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
  clientId: string;
  clientSecret: string;
}

interface DeviceSignInDeps {
  clock: Clock;
  endpoints: SignInEndpoints;
}

export async function runDeviceSignIn(
  deps: DeviceSignInDeps,
  options: DeviceSignInOptions,
): Promise<DeviceTokens> {
  const base = deps.endpoints.oidcBase(options.region);
  const client = await registerClient(base, options.signal);
  const started = await callJson(`${base}/device_authorization`, {
    headers: oidcHeaders(),
    body: { ...client, startUrl: options.startUrl },
    signal: options.signal,
  });
  const deviceCode = stringField(started.body, 'deviceCode');
  const userCode = stringField(started.body, 'userCode');
  const verificationUri = stringField(started.body, 'verificationUri');
  if (started.status !== 200 || !deviceCode || !userCode || !verificationUri)
    throw oidcFailure('Starting the device authorization', started.status, started.body, options.startUrl);
  const lifetimeMs = bounded(numberField(started.body, 'expiresIn'), LIFETIME_BOUNDS_S, 600) * 1000;
  options.onPrompt({
    userCode,
    verificationUri,
    verificationUriComplete: stringField(started.body, 'verificationUriComplete') ?? verificationUri,
    expiresAt: deps.clock.now() + lifetimeMs,
  });
  const intervalMs =
    bounded(numberField(started.body, 'interval'), INTERVAL_BOUNDS_S, DEFAULT_INTERVAL_S) * 1000;
  const tokens = await pollForToken(deps.clock, base, client, deviceCode, {
    intervalMs,
    deadline: deps.clock.monotonicNow() + lifetimeMs,
    signal: options.signal,
  });
  return { ...tokens, ...client };
}

async function registerClient(
  base: string,
  signal: AbortSignal | undefined,
): Promise<{ clientId: string; clientSecret: string }> {
  const answer = await callJson(`${base}/client/register`, {
    headers: oidcHeaders(),
    body: { clientName: 'Kiro IDE', clientType: 'public', scopes: KIRO_OIDC_SCOPES },
    signal,
  });
  const clientId = stringField(answer.body, 'clientId');
  const clientSecret = stringField(answer.body, 'clientSecret');
  if (answer.status !== 200 || !clientId || !clientSecret)
    throw oidcFailure('Registering Kiro Dock with AWS sign-in', answer.status, answer.body);
  return { clientId, clientSecret };
}

async function pollForToken(
  clock: Clock,
  base: string,
  client: { clientId: string; clientSecret: string },
  deviceCode: string,
  poll: { intervalMs: number; deadline: number; signal?: AbortSignal },
): Promise<Omit<DeviceTokens, 'clientId' | 'clientSecret'>> {
  let intervalMs = poll.intervalMs;
  for (;;) {
    if (clock.monotonicNow() + intervalMs >= poll.deadline) throw expiredError();
    await clock.sleep(intervalMs, poll.signal).catch(() => {
      throw cancelledError();
    });
    const answer = await callJson(`${base}/token`, {
      headers: oidcHeaders(),
      body: { ...client, deviceCode, grantType: DEVICE_CODE_GRANT },
      signal: poll.signal,
    });
    const accessToken = stringField(answer.body, 'accessToken');
    const refreshToken = stringField(answer.body, 'refreshToken');
    if (answer.status === 200 && accessToken && refreshToken) {
      const expiresIn = bounded(numberField(answer.body, 'expiresIn'), [60, 86_400], 3600);
      return { accessToken, refreshToken, expiresAt: clock.now() + expiresIn * 1000 };
    }
    const error = stringField(answer.body, 'error');
    if (error === 'slow_down') intervalMs += SLOW_DOWN_STEP_MS;
    else if (error === 'expired_token') throw expiredError();
    else if (error === 'access_denied')
      throw new SignInError(
        'denied',
        'The sign-in was denied in the browser; no account was added. Sign in again and choose Allow.',
      );
    // authorization_pending, and a passing 5xx: keep polling until the deadline.
    else if (error !== 'authorization_pending' && answer.status < 500)
      throw oidcFailure('Waiting for the approval', answer.status, answer.body);
  }
}

function expiredError(): SignInError {
  return new SignInError(
    'expired',
    'The sign-in code expired before it was approved; no account was added. Sign in again and approve the new code in time.',
  );
}

function oidcFailure(
  step: string,
  status: number,
  body: Record<string, unknown>,
  startUrl?: string,
): SignInError {
  const detail = stringField(body, 'error_description') ?? stringField(body, 'error') ?? `HTTP ${status}`;
  const hint = startUrl ? ` Check the start URL (${startUrl}) and the region.` : ' Try again later.';
  return new SignInError('failed', `${step} failed: ${detail}.${hint}`);
}

function bounded(value: number | undefined, [min, max]: readonly [number, number], fallback: number): number {
  return value === undefined ? fallback : Math.min(max, Math.max(min, value));
}
