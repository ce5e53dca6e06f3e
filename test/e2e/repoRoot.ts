import { fileURLToPath } from 'node:url';

/** The checkout's root: where `kiro-dock serve` runs from and where the dashboard build lands. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
