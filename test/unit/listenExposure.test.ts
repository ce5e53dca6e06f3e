import { describe, expect, it } from 'vitest';
import { exposureProblem, isLoopbackHost } from '../../electron/listenExposure.ts';

describe('listening beyond loopback', () => {
  it.each(['127.0.0.1', '127.5.5.5', 'localhost', 'LocalHost', '::1', '[::1]', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
      expect(exposureProblem(host, 'short')).toBeUndefined();
    },
  );

  it.each(['0.0.0.0', '::', '192.168.1.10', 'mybox.lan'])('%s needs a long client key', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
    expect(exposureProblem(host, 'test')).toMatch(
      new RegExp(
        `refusing to listen on ${host.replace(/\./g, '\\.')}.*4 characters.*KIRO_DOCK_API_KEY.*unset it`,
      ),
    );
    // A generated key: `kd-` and 32 base64url characters.
    expect(exposureProblem(host, `kd-${'A'.repeat(32)}`)).toBeUndefined();
  });
});
