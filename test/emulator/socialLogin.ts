/**
 * Kiro's social sign-in (docs/sign-in.md): the browser opens `GET /login?idp=…&redirect_uri=…&code_challenge=…
 * &code_challenge_method=S256&state=…`; the emulator signs the user in at once and redirects to
 * `redirect_uri?code=…&state=…`; `POST /oauth/token {code, code_verifier, redirect_uri}` checks the PKCE verifier
 * against the challenge and the redirect against the one the code was issued for, then issues tokens once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AccountStore } from './accountStore.ts';
import type { JsonReply } from './jsonReply.ts';
import { isJsonObject } from './strictToolRules.ts';

interface IssuedCode {
  challenge: string;
  redirectUri: string;
  idp: string;
}

const IDPS = new Set(['Google', 'Github']);

export class SocialLogin {
  private readonly codes = new Map<string, IssuedCode>();
  /** Identity providers of the logins the browser went through, in order. */
  readonly logins: string[] = [];

  constructor(private readonly accounts: AccountStore) {}

  login(query: URLSearchParams): JsonReply {
    const idp = query.get('idp') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    const challenge = query.get('code_challenge') ?? '';
    const state = query.get('state') ?? '';
    const problem = !IDPS.has(idp)
      ? 'idp must be Google or Github'
      : !/^(kiro:\/\/|http:\/\/(127\.0\.0\.1|localhost):\d+\/)/.test(redirectUri)
        ? 'redirect_uri is not allowed'
        : query.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge)
          ? 'code_challenge must be an S256 challenge'
          : state.length < 16
            ? 'state is missing'
            : undefined;
    if (problem) return { status: 400, body: { error: 'invalid_request', message: problem } };
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { challenge, redirectUri, idp });
    this.logins.push(idp);
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', state);
    return { status: 302, body: {}, headers: { location: target.toString() } };
  }

  exchange(body: unknown): JsonReply {
    const input = isJsonObject(body) ? body : {};
    const issued = this.codes.get(String(input['code']));
    const verifier = input['code_verifier'];
    const invalid = { status: 400, body: { error: 'invalid_grant', message: 'Invalid authorization code' } };
    if (!issued || typeof verifier !== 'string') return invalid;
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (challenge !== issued.challenge || input['redirect_uri'] !== issued.redirectUri) return invalid;
    this.codes.delete(String(input['code']));
    const tokens = this.accounts.signInSocial();
    return {
      status: 200,
      body: {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        profileArn: tokens.profileArn,
        expiresIn: tokens.expiresIn,
      },
    };
  }
}
