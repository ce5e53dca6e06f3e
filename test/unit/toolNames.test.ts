import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createToolNameMap, kiroToolName } from '../../electron/core/translate/toolNames.ts';

const KIRO_NAME = /^[A-Za-z0-9_-]{1,64}$/;

describe('tool names', () => {
  it('keeps valid names as they are', () => {
    for (const name of ['Read', 'mcp__github__create_issue', 'a-b_c', 'x'.repeat(64)]) {
      expect(kiroToolName(name)).toBe(name);
    }
  });

  it('shortens long names to a prefix plus 8 hex of the sha256 of the original', () => {
    const name = `mcp__${'very_long_server_name_'.repeat(4)}__tool`;
    const kiroName = kiroToolName(name);
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
    expect(kiroName).toHaveLength(64);
    expect(kiroName).toBe(`${name.slice(0, 55)}_${hash}`);
  });

  it('sanitises characters outside [A-Za-z0-9_-] and keeps different originals apart', () => {
    const dotted = kiroToolName('server.tool/run');
    const spaced = kiroToolName('server tool run');
    expect(dotted).toMatch(/^server_tool_run_[0-9a-f]{8}$/);
    expect(spaced).toMatch(/^server_tool_run_[0-9a-f]{8}$/);
    expect(dotted).not.toBe(spaced);
    expect(kiroToolName('ünïcode✓')).toMatch(KIRO_NAME);
  });

  it('is deterministic across maps, so history stays identical from turn to turn', () => {
    const name = 'y'.repeat(100);
    expect(createToolNameMap().toKiro(name)).toBe(createToolNameMap().toKiro(name));
  });

  it('restores rewritten names and leaves every other name alone', () => {
    const names = createToolNameMap();
    const long = `mcp__workspace__${'search_'.repeat(12)}`;
    const invalid = 'files.read';
    const kiroLong = names.toKiro(long);
    const kiroInvalid = names.toKiro(invalid);
    expect(kiroLong).toMatch(KIRO_NAME);
    expect(kiroInvalid).toMatch(KIRO_NAME);
    expect(names.restore(kiroLong)).toBe(long);
    expect(names.restore(kiroInvalid)).toBe(invalid);
    expect(names.toKiro('Bash')).toBe('Bash');
    expect(names.restore('Bash')).toBe('Bash');
    expect(names.restore('NeverSeen')).toBe('NeverSeen');
  });
});
