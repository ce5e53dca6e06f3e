/**
 * Claude Code's settings file (`~/.claude/settings.json`), read and rewritten without losing anything the user
 * keeps there: the previous file is copied beside it first, the new one is written to a temporary file and
 * renamed over the old (a crash leaves one or the other, never half of each). The file then holds the client key,
 * so it and its backup are readable by their owner only (0600), whatever mode the file had. A file that is not a
 * JSON object is never rewritten: the user has to look at it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../../shared/errorMessage.ts';
import { isJsonObject } from '../json/parseJsonObject.ts';

export class ClaudeSettingsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaudeSettingsFileError';
  }
}

/** The file holds the client key (and its backup may hold an earlier one). */
const OWNER_ONLY = 0o600;

export type ClaudeSettings = Record<string, unknown> & { env?: Record<string, unknown> };

/** The parsed file; undefined when there is none. Throws ClaudeSettingsFileError when it is not usable. */
export async function readClaudeSettings(settingsPath: string): Promise<ClaudeSettings | undefined> {
  let text: string;
  try {
    text = await fs.readFile(settingsPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ClaudeSettingsFileError(`Cannot read ${settingsPath}: ${errorMessage(error)}`);
  }
  // An empty file is what some editors leave behind; it holds nothing to keep.
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ClaudeSettingsFileError(
      `${settingsPath} is not valid JSON (${errorMessage(error)}); it was left as it is. Fix or remove it, then try again.`,
    );
  }
  if (!isJsonObject(parsed)) {
    throw new ClaudeSettingsFileError(`${settingsPath} does not hold a JSON object; it was left as it is.`);
  }
  if (parsed['env'] !== undefined && !isJsonObject(parsed['env'])) {
    throw new ClaudeSettingsFileError(
      `The "env" entry of ${settingsPath} is not an object; it was left as it is.`,
    );
  }
  return parsed;
}

/**
 * Writes `settings` over the file at `settingsPath` (following a symlink to the real file), after copying the
 * previous file to `<name>.bak-<yyyymmdd-hhmmss>`; returns the backup's path (undefined when there was no file).
 */
export async function replaceClaudeSettings(
  settingsPath: string,
  settings: ClaudeSettings,
  now: Date,
): Promise<{ backupPath?: string }> {
  const target = await fs.realpath(settingsPath).catch(() => settingsPath);
  const previous = await fs.stat(target).catch(() => undefined);
  let backupPath: string | undefined;
  if (previous) {
    backupPath = await copyToBackup(target, now);
  } else {
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  }
  const temporary = `${target}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await fs.writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: OWNER_ONLY, flag: 'wx' });
    await fs.chmod(temporary, OWNER_ONLY); // exactly, whatever the umask
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw new ClaudeSettingsFileError(`Cannot write ${target}: ${errorMessage(error)}`);
  }
  return { backupPath };
}

/** A new name each time: two writes in the same second get `-2`, `-3`… rather than one backup replacing another. */
async function copyToBackup(file: string, now: Date): Promise<string> {
  const base = `${file}.bak-${timestamp(now)}`;
  for (let attempt = 1; ; attempt++) {
    const candidate = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      await fs.copyFile(file, candidate, fs.constants.COPYFILE_EXCL);
      // copyFile keeps the source's mode, which may let others read a key.
      await fs.chmod(candidate, OWNER_ONLY);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) {
        throw new ClaudeSettingsFileError(
          `Cannot back up ${file} to ${candidate}: ${errorMessage(error)}; nothing was changed.`,
        );
      }
    }
  }
}

/** Local time, as the user reads the folder listing. */
function timestamp(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-` +
    `${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`
  );
}
