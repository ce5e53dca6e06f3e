/**
 * `npm run bench`: every benchmark, one after the other (never in parallel: they would measure each other).
 * Each prints its own Markdown table; bench/RESULTS.md records them with the commands.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './benchProcesses.ts';

const BENCHMARKS = [
  'decoderBench.ts',
  'conversionBench.ts',
  'latencyBench.ts',
  'streamingBench.ts',
  'cacheBench.ts',
  'memoryBench.ts',
  'refreshStormBench.ts',
  'daemonBench.ts',
  'refreshCrashBench.ts',
  'teamBench.ts',
  'usageFailureBench.ts',
];

let failed = 0;
for (const file of BENCHMARKS) {
  process.stdout.write(`\n## ${file}\n\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', file)], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
