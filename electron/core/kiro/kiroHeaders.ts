import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { KiroCredential } from './kiroCredential.ts';

/** The IDE persona's version strings (docs/upstream/endpoints.md §2); Kiro does not validate them strictly. */
const KIRO_IDE_VERSION = '0.11.107';
const AWS_SDK_JS_VERSION = '1.0.34';

/** Request headers of the Kiro IDE persona for generateAssistantResponse. */
export function kiroHeaders(credential: KiroCredential, attempt: number): Record<string, string> {
  const ide = `KiroIDE-${KIRO_IDE_VERSION}-${credential.machineId}`;
  const headers: Record<string, string> = {
    authorization: `Bearer ${credential.accessToken}`,
    'content-type': 'application/json',
    accept: 'application/json',
    'x-amz-user-agent': `aws-sdk-js/${AWS_SDK_JS_VERSION} ${ide}`,
    'user-agent':
      `aws-sdk-js/${AWS_SDK_JS_VERSION} ua/2.1 os/${os.platform()}#${os.release()} lang/js ` +
      `md/nodejs#${process.versions.node} api/codewhispererstreaming#${AWS_SDK_JS_VERSION} m/E ${ide}`,
    'x-amzn-codewhisperer-optout': 'true',
    'x-amzn-kiro-agent-mode': 'vibe',
    'amz-sdk-invocation-id': randomUUID(),
    'amz-sdk-request': `attempt=${attempt}; max=3`,
  };
  if (credential.isApiKey) headers['tokentype'] = 'API_KEY';
  return headers;
}

export function oidcHeaders(): Record<string, string> {
  return {
    'x-amz-user-agent': 'aws-sdk-js/3.980.0 KiroIDE',
    'user-agent': `aws-sdk-js/3.980.0 ua/2.1 os/${os.platform()}#${os.release()} lang/js api/sso-oidc#3.980.0 m/E KiroIDE`,
    'amz-sdk-request': 'attempt=1; max=4',
  };
}
