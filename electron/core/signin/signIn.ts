/**
 * Signing in to Kiro from Kiro Dock and putting the login in the pool: one entry for the CLI, the dashboard and
 * the tray. A sign-in for an existing account ("Sign in again") keeps its id, label and history and replaces only
 * its tokens and its sign-in details.
 */
import type { AccountRecord, AccountSecrets, SignInOrigin } from '../accounts/accountModel.ts';
import type { AccountRepository } from '../accounts/accountRepository.ts';
import { regionFromProfileArn } from '../kiro/kiroEndpoints.ts';
import type { Clock } from '../ports.ts';
import { BUILDER_ID_START_URL, runDeviceSignIn, type DevicePrompt } from './deviceFlow.ts';
import { discoverProfileArn } from './profileDiscovery.ts';
import { cancelledError, SignInError } from './signInError.ts';
import { checkedRegion, type SignInEndpoints } from './signInEndpoints.ts';
import { runSocialSignIn, type SocialPrompt } from './socialFlow.ts';

export type SignInRequest = Partial<SignInOrigin> & {
  /** Sign in again for this account: same id, label and history; without a method, the one it came from. */
  accountId?: string;
  label?: string;
};

export interface SignInHooks {
  signal?: AbortSignal;
  /** Builder ID / IdC: the code to show and the URL to open. */
  onDevicePrompt?(prompt: DevicePrompt): void;
  /** Google / GitHub: the URL to open, and how to finish with a pasted redirect URL. */
  onSocialPrompt?(prompt: SocialPrompt): void;
}

export interface SignInDeps {
  repository: AccountRepository;
  clock: Clock;
  endpoints: SignInEndpoints;
}

export interface SignInResult {
  account: AccountRecord;
  /** True when an existing account got new tokens. */
  renewed: boolean;
}

export async function signIn(
  deps: SignInDeps,
  request: SignInRequest,
  hooks: SignInHooks = {},
): Promise<SignInResult> {
  const existing = request.accountId === undefined ? undefined : deps.repository.get(request.accountId);
  if (request.accountId !== undefined && !existing)
    throw new SignInError('failed', `No account ${request.accountId}; see the account list.`);
  if (existing && !request.method && !existing.signIn)
    throw new SignInError(
      'failed',
      `Account ${existing.id} was not signed in from Kiro Dock: choose how to sign in (Builder ID, Identity Center, Google or GitHub).`,
    );
  const origin = checkedOrigin(request.method ? request : { ...existing?.signIn });
  const login = await obtainLogin(deps, origin, hooks);
  if (hooks.signal?.aborted) throw cancelledError();
  return saveLogin(deps.repository, origin, login, existing, request.label);
}

interface ObtainedLogin {
  secrets: AccountSecrets;
  profileArn?: string;
  authMethod: 'idc' | 'social';
  provider: string;
}

async function obtainLogin(
  deps: SignInDeps,
  origin: SignInOrigin,
  hooks: SignInHooks,
): Promise<ObtainedLogin> {
  if (origin.method === 'social') {
    const tokens = await runSocialSignIn(deps, {
      provider: origin.provider!,
      signal: hooks.signal,
      onPrompt: (prompt) => hooks.onSocialPrompt?.(prompt),
    });
    const { profileArn, ...secrets } = tokens;
    return {
      secrets,
      profileArn,
      authMethod: 'social',
      provider: origin.provider === 'google' ? 'Google' : 'Github',
    };
  }
  const tokens = await runDeviceSignIn(deps, {
    startUrl: origin.startUrl!,
    region: origin.region!,
    signal: hooks.signal,
    onPrompt: (prompt) => hooks.onDevicePrompt?.(prompt),
  });
  const profileArn = await discoverProfileArn(
    deps.endpoints,
    tokens.accessToken,
    origin.region!,
    hooks.signal,
  );
  return {
    secrets: tokens,
    profileArn,
    authMethod: 'idc',
    provider: origin.method === 'builder-id' ? 'BuilderId' : 'Enterprise',
  };
}

function checkedOrigin(request: Partial<SignInOrigin>): SignInOrigin {
  switch (request.method) {
    case 'builder-id':
      return { method: 'builder-id', startUrl: BUILDER_ID_START_URL, region: 'us-east-1' };
    case 'idc': {
      const startUrl = request.startUrl?.trim();
      if (!startUrl || !/^https:\/\/[^\s/]+/.test(startUrl))
        throw new SignInError(
          'failed',
          'IAM Identity Center needs its start URL, like https://my-company.awsapps.com/start.',
        );
      return { method: 'idc', startUrl, region: checkedRegion(request.region ?? 'us-east-1') };
    }
    case 'social':
      if (request.provider !== 'google' && request.provider !== 'github')
        throw new SignInError('failed', 'Social sign-in is with google or github.');
      return { method: 'social', provider: request.provider };
    default:
      throw new SignInError('failed', 'Sign in with builder-id, idc or social.');
  }
}

async function saveLogin(
  repository: AccountRepository,
  origin: SignInOrigin,
  login: ObtainedLogin,
  existing: AccountRecord | undefined,
  label: string | undefined,
): Promise<SignInResult> {
  const fields = {
    authMethod: login.authMethod,
    provider: login.provider,
    region: regionFromProfileArn(login.profileArn) ?? 'us-east-1',
    authRegion: origin.region,
    profileArn: login.profileArn,
    signIn: origin,
  };
  if (existing) {
    // Tokens first, then the cleared state, then the record: a process that follows each change never sees the
    // account usable without its new tokens.
    await repository.writeSecrets(existing.id, login.secrets);
    repository.persistState(existing.id, undefined);
    const account = repository.update(existing.id, { ...fields, ...(label ? { label } : {}) });
    return { account, renewed: true };
  }
  const account = await repository.add(
    { ...fields, label: label ?? defaultLabel(origin), source: 'manual', disabled: false },
    login.secrets,
  );
  return { account, renewed: false };
}

function defaultLabel(origin: SignInOrigin): string {
  if (origin.method === 'builder-id') return 'AWS Builder ID';
  if (origin.method === 'idc') return `IAM Identity Center (${new URL(origin.startUrl!).host})`;
  return origin.provider === 'google' ? 'Google' : 'GitHub';
}
