/**
 * Where each Kiro call goes (docs/upstream/endpoints.md). One base URL override (`KIRO_DOCK_UPSTREAM_URL`) points every
 * call at the same host while each keeps its real path, which is how the emulator, tests and benchmarks work.
 */

/**
 * The chat host families (docs/chat-hosts.md): `q` is `q.{region}.amazonaws.com`, `runtime` is the newer
 * `runtime.{region}.kiro.dev`. Which one accepts a credential depends on its type; accounts probe for it.
 */
export type ChatHostFamily = 'q' | 'runtime';

export const CHAT_HOST_FAMILIES: readonly ChatHostFamily[] = ['q', 'runtime'];

/** The host name a family has in a region, as shown to the user. */
export function chatHostName(family: ChatHostFamily, region: string): string {
  return family === 'runtime' ? `runtime.${region}.kiro.dev` : `q.${region}.amazonaws.com`;
}

export interface KiroEndpoints {
  /** POST, JSON body, event-stream response: on the `q` host. */
  generateAssistantResponse: string;
  /** The same on a given host family. */
  chatUrl(family: ChatHostFamily): string;
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
      // One host stands in for all: a family other than q is told apart by a path prefix the emulator strips.
      chatUrl: (family) =>
        family === 'q'
          ? `${base}/generateAssistantResponse`
          : `${base}/_host/${family}/generateAssistantResponse`,
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
    chatUrl: (family) => `https://${chatHostName(family, region)}/generateAssistantResponse`,
    getUsageLimits: `${chatHost}/getUsageLimits`,
    listAvailableModels: `${chatHost}/ListAvailableModels`,
    mcp: `${chatHost}/mcp`,
    // Social auth lives in us-east-1 whatever the API region (docs/upstream/endpoints.md §1).
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
