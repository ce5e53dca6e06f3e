/**
 * The environment for a child process that is not Node (Redis, Chromium). The suite also runs under libfaketime
 * on fixed dates (see .ci/run); preloaded into such a program, it freezes or skews the clock its event loop waits
 * on, and Redis then never answers. Those programs run on real time: what the tests check is the Node side's
 * faked wall clock, not theirs.
 */
export function withoutFakedTime(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && name !== 'LD_PRELOAD' && !name.startsWith('FAKETIME')) kept[name] = value;
  }
  return kept;
}
