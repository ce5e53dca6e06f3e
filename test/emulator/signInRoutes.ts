/** The sign-in routes: OIDC client registration and device authorization, social login, profile discovery. */
import { bearerOf } from './accountStore.ts';
import type { EmulatorRequestLogEntry, EmulatorState } from './emulatorState.ts';
import type { JsonReply } from './jsonReply.ts';
import { BEARER_TOKEN_INVALID } from './faults.ts';

export function answerSignIn(state: EmulatorState, entry: EmulatorRequestLogEntry, url: URL): JsonReply {
  switch (entry.operation) {
    case 'registerClient':
      return state.deviceFlow.registerClient(entry.body);
    case 'startDeviceAuthorization':
      return state.deviceFlow.startDeviceAuthorization(entry.body);
    case 'socialLogin':
      return state.socialLogin.login(url.searchParams);
    case 'socialToken':
      return state.socialLogin.exchange(entry.body);
    default:
      return listAvailableProfiles(state, entry);
  }
}

/** ListAvailableProfiles (awsJson): the signed-in account's one profile. */
function listAvailableProfiles(state: EmulatorState, entry: EmulatorRequestLogEntry): JsonReply {
  const account = state.accounts.authenticate(bearerOf(entry.headers));
  if (!account) return { status: 403, body: BEARER_TOKEN_INVALID };
  entry.accountId = account.id;
  const region = account.profileArn.split(':')[3];
  return {
    status: 200,
    body: { profiles: [{ arn: account.profileArn, profileName: `KiroProfile-${region}` }] },
  };
}
