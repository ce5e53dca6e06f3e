/**
 * The layer diagram in electron/core/README.md, between its two markers, is `renderCoreLayers()`'s output.
 * `npm run core-layers` (this file run directly) rewrites it; `test/unit/coreLayers.test.ts` fails while it differs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderCoreLayers } from '../../electron/core/coreLayers.ts';

export const CORE_README = path.resolve('electron/core/README.md');
const BEGIN = '<!-- core-layers:begin (npm run core-layers) -->';
const END = '<!-- core-layers:end -->';

/** The README with its layer block replaced by the diagram of the table; throws when the markers are missing. */
export function readmeWithLayers(readme: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${CORE_README} lacks the ${BEGIN} … ${END} block`);
  const block = `${BEGIN}\n\n\`\`\`text\n${renderCoreLayers()}\n\`\`\`\n\n`;
  return readme.slice(0, begin) + block + readme.slice(end);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const readme = fs.readFileSync(CORE_README, 'utf8');
  const updated = readmeWithLayers(readme);
  if (updated !== readme) fs.writeFileSync(CORE_README, updated);
  console.log(
    updated === readme ? 'electron/core/README.md: up to date' : 'electron/core/README.md: rewritten',
  );
}
