/**
 * Where each Kiro call goes (kiro-protocol.md §1). One base URL override (`KIRO_DOCK_UPSTREAM_URL`) points every
 * call at the same host while each keeps its real path, which is how the emulator, tests and benchmarks work.
 */

export interface KiroEndpoints {
  /** POST, JSON body, event-stream response. */
  generateAssistantResponse: string;
  /** GET with query (origin, resourceType, profileArn). */
  getUsageLimits: string;
  /** GET with query (origin, profileArn). */
  listAvailableModels: string;
  /** POST JSON-RPC 2.0 (`tools/call` web_search), docs/web-search.md. */
  mcp: string;
  /** POST `{refreshToken}` for social (GitHub/Google) logins. */
  socialRefresh: string;
  /** POST CreateToken for IdC / Builder ID logins; region is the token's auth region. */
  oidcToken(authRegion: string): string;
}

export interface EndpointOptions {
  /** API region (chat host); Kiro serves it in us-east-1 and eu-central-1. */
  region?: string;
  /** Replaces every host: `${upstreamUrl}/generateAssistantResponse`, `${upstreamUrl}/refreshToken`, … */
  upstreamUrl?: string;
}

const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export function resolveKiroEndpoints(options: EndpointOptions = {}): KiroEndpoints {
  const region = options.region ?? 'us-east-1';
  if (!REGION_PATTERN.test(region)) throw new Error(`Not an AWS region: ${JSON.stringify(region)}`);
  if (options.upstreamUrl) {
    const base = new URL(options.upstreamUrl).toString().replace(/\/+$/, '');
    return {
      generateAssistantResponse: `${base}/generateAssistantResponse`,
      getUsageLimits: `${base}/getUsageLimits`,
      listAvailableModels: `${base}/ListAvailableModels`,
      mcp: `${base}/mcp`,
      socialRefresh: `${base}/refreshToken`,
      oidcToken: () => `${base}/token`,
    };
  }
  const chatHost = `https://q.${region}.amazonaws.com`;
  return {
    generateAssistantResponse: `${chatHost}/generateAssistantResponse`,
    getUsageLimits: `${chatHost}/getUsageLimits`,
    listAvailableModels: `${chatHost}/ListAvailableModels`,
    mcp: `${chatHost}/mcp`,
    // Social auth lives in us-east-1 whatever the API region (kiro-protocol.md §1.1).
    socialRefresh: 'https://prod.us-east-1.auth.desktop.kiro.dev/refreshToken',
    oidcToken: (authRegion) => {
      if (!REGION_PATTERN.test(authRegion))
        throw new Error(`Not an AWS region: ${JSON.stringify(authRegion)}`);
      return `https://oidc.${authRegion}.amazonaws.com/token`;
    },
  };
}

/** The API region encoded in a profile ARN (`arn:aws:codewhisperer:<region>:<account>:profile/<id>`). */
export function regionFromProfileArn(profileArn: string | undefined): string | undefined {
  const region = profileArn?.split(':')[3];
  return region && REGION_PATTERN.test(region) ? region : undefined;
}
