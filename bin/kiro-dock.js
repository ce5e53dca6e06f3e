#!/usr/bin/env node
// The `kiro-dock` command. `npm ci` / `npm install` build dist/ (the package's `prepare` script), which starts
// about twice as fast as compiling the TypeScript on every start; without a build (install scripts turned off)
// the source runs through tsx, a dev dependency, so the command still works in a clone.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const built = new URL('../dist/electron/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const tsx = await import('tsx/esm/api').catch(() => undefined);
  if (!tsx) {
    process.stderr.write(
      'kiro-dock: not built yet, and tsx (to run the source) is not installed. Run npm run build in the ' +
        'kiro-dock folder (npm ci does it unless install scripts are turned off).\n',
    );
    process.exit(1);
  }
  tsx.register();
  await import(new URL('../electron/cli.ts', import.meta.url).href);
}
