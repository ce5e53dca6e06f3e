/**
 * The admin API's sign-in routes (`/admin/sign-in`), shared by the core and the dashboard: start a sign-in,
 * follow it, finish a social one with the pasted redirect address, cancel it.
 */

export type SignInMethodView = 'builder-id' | 'idc' | 'social';

export type SocialProviderView = 'google' | 'github';

/** How an account signed in from Kiro Dock; "Sign in again" runs the same flow. */
export interface SignInOriginView {
  method: SignInMethodView;
  startUrl?: string;
  region?: string;
  provider?: SocialProviderView;
}

/** `POST /admin/sign-in`. With `accountId` and no method: sign in again the way that account did. */
export interface StartSignInRequest {
  method?: SignInMethodView;
  /** IAM Identity Center start URL (idc). */
  startUrl?: string;
  /** IAM Identity Center region (idc). */
  region?: string;
  provider?: SocialProviderView;
  accountId?: string;
  label?: string;
}

/** `POST /admin/sign-in/:id/complete`: the address the browser ended on after a social sign-in. */
export interface CompleteSignInRequest {
  redirectedUrl: string;
}

export type SignInStateView = 'waiting' | 'succeeded' | 'failed' | 'cancelled';

export interface SignInSessionView {
  id: string;
  method: SignInMethodView;
  state: SignInStateView;
  /** Device flow: the code the sign-in page must show, and where to confirm it. */
  userCode?: string;
  verificationUri?: string;
  verificationUriComplete?: string;
  /** Epoch ms when the code or the wait ends. */
  expiresAt?: number;
  /** Social: the page to open, and the address the browser comes back to. */
  loginUrl?: string;
  redirectUri?: string;
  /** Once succeeded: the account added or signed in again. */
  accountId?: string;
  renewed?: boolean;
  /** Once failed or cancelled: why, in a sentence that says what to do. */
  failure?: 'denied' | 'expired' | 'cancelled' | 'failed';
  message?: string;
}
