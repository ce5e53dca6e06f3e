import { describe, expect, it } from 'vitest';
import { isAllowedExternalLink } from '../../shared/desktopBridge.ts';

describe('links the desktop dashboard may open in the browser', () => {
  it('opens the sign-in pages: AWS device verification, Identity Center portals, Kiro sign-in', () => {
    for (const url of [
      'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
      'https://view.awsapps.com/start/#/device?user_code=ABCD-EFGH',
      'https://my-company.awsapps.com/start',
      'https://prod.us-east-1.auth.desktop.kiro.dev/login?idp=Google',
      'https://github.com/some/page',
    ])
      expect(isAllowedExternalLink(url), url).toBe(true);
  });

  it('refuses look-alikes, other schemes, ports and credentials', () => {
    for (const url of [
      'http://view.awsapps.com/start',
      'https://awsapps.com.evil.example/start',
      'https://evil.example/?view.awsapps.com',
      'https://device.sso.us-east-1.amazonaws.com.evil.example/',
      'https://view.awsapps.com:8443/start',
      'https://user:pw@view.awsapps.com/start',
      'kiro://kiro.kiroAgent/authenticate-success',
    ])
      expect(isAllowedExternalLink(url), url).toBe(false);
  });
});
