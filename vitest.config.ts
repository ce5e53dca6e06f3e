import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // A private Secret Service (D-Bus + GNOME Keyring) for the keychain tests; other tests never see it.
    globalSetup: ['test/support/secretService.ts'],
    // A machine-readable summary beside the console output (CI prints its totals as a plain closing line).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
