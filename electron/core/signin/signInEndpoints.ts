/**
 * Where sign-in calls go (docs/sign-in.md): AWS SSO OIDC in the login's region for Builder ID and IAM Identity
 * Center, Kiro's auth service for Google and GitHub, and ListAvailableProfiles on the chat API. The same base URL
 * override as for every other Kiro call (`KIRO_DOCK_UPSTREAM_URL`) points them all at one host, paths kept.
 */

export interface SignInEndpoints {
  /** `/client/register`, `/device_authorization`, `/token` live under this base. */
  oidcBase(region: string): string;
  /** Kiro's social auth service: `/login` (browser) and `/oauth/token`. */
  socialAuthBase: string;
  /** awsJson `POST /` with `x-amz-target: AmazonCodeWhispererService.ListAvailableProfiles`. */
  profilesUrl(region: string): string;
}

const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export function checkedRegion(region: string): string {
  if (!REGION_PATTERN.test(region))
    throw new Error(`Not an AWS region: ${JSON.stringify(region)} (for example us-east-1).`);
  return region;
}

export function resolveSignInEndpoints(upstreamUrl?: string): SignInEndpoints {
  if (upstreamUrl) {
    const base = new URL(upstreamUrl).toString().replace(/\/+$/, '');
    return {
      oidcBase: (region) => (checkedRegion(region), base),
      socialAuthBase: base,
      profilesUrl: (region) => (checkedRegion(region), `${base}/`),
    };
  }
  return {
    oidcBase: (region) => `https://oidc.${checkedRegion(region)}.amazonaws.com`,
    // Kiro's auth service answers in us-east-1 whatever the API region.
    socialAuthBase: 'https://prod.us-east-1.auth.desktop.kiro.dev',
    profilesUrl: (region) => `https://q.${checkedRegion(region)}.amazonaws.com/`,
  };
}
