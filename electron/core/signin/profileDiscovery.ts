/**
 * The Kiro profile of a fresh login (ListAvailableProfiles, docs/sign-in.md). Profiles live in the regions the
 * chat API serves; the login's own region is asked first. A login without any profile still works with Builder
 * ID, so a failure here leaves the account without one instead of failing the sign-in.
 */
import { callJson, stringField } from './signInHttp.ts';
import type { SignInEndpoints } from './signInEndpoints.ts';

const PROFILE_REGIONS = ['us-east-1', 'eu-central-1'];
const LIST_PROFILES_TARGET = 'AmazonCodeWhispererService.ListAvailableProfiles';

export async function discoverProfileArn(
  endpoints: SignInEndpoints,
  accessToken: string,
  loginRegion: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const regions = [loginRegion, ...PROFILE_REGIONS.filter((region) => region !== loginRegion)].filter(
    (region) => PROFILE_REGIONS.includes(region),
  );
  for (const region of regions) {
    const answer = await callJson(endpoints.profilesUrl(region), {
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': LIST_PROFILES_TARGET,
      },
      body: {},
      signal,
    }).catch(() => undefined);
    const profiles = answer?.status === 200 ? answer.body['profiles'] : undefined;
    const first: unknown = Array.isArray(profiles) ? profiles[0] : undefined;
    const arn =
      typeof first === 'object' && first !== null
        ? stringField(first as Record<string, unknown>, 'arn')
        : undefined;
    if (arn) return arn;
  }
  return undefined;
}
