/**
 * Preloaded into a child process with `--import`: appends every module the child loads to the file named by
 * KIRO_DOCK_LOADS_FILE, one a line: the URL of each ES module, and `require:ID` for each CommonJS require.
 */
import fs from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env['KIRO_DOCK_LOADS_FILE'];
if (!out) throw new Error('recordLoads needs KIRO_DOCK_LOADS_FILE');

// Load hooks run on their own thread; a data: URL keeps this one file the whole recorder.
register(
  `data:text/javascript,${encodeURIComponent(`
import fs from 'node:fs';
export async function load(url, context, nextLoad) {
  fs.appendFileSync(${JSON.stringify(out)}, url + '\\n');
  return nextLoad(url, context);
}`)}`,
);

// CommonJS modules required by CommonJS modules (and through createRequire) never reach the load hook.
const originalRequire = Module.prototype.require;
Module.prototype.require = function (this: Module, id: string) {
  fs.appendFileSync(out, `require:${id}\n`);
  return originalRequire.call(this, id);
} as typeof originalRequire;
