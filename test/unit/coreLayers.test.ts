/**
 * Every import inside electron/core follows the layer table (`electron/core/coreLayers.ts`): no import between
 * layers the table does not allow, no allowance nothing uses, no cycle among layers or among files, and the
 * README's diagram is the table's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CORE_LAYERS,
  coreLayerOf,
  renderCoreLayers,
  type CoreLayer,
} from '../../electron/core/coreLayers.ts';
import { CORE_README, readmeWithLayers } from '../support/coreLayersReadme.ts';
import { cyclesOf, importEdges, sourceFiles } from '../support/importGraph.ts';

const CORE = path.resolve('electron/core');
const layers: Record<string, CoreLayer> = CORE_LAYERS;
const edges = importEdges(CORE);
const relative = (file: string) => path.relative(CORE, file).split(path.sep).join('/');

/** Imports between two different layers, as `from layer → to layer`, each with the files that make it. */
function layerImports(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const source = coreLayerOf(from);
    const target = coreLayerOf(to);
    if (!source || !target || source === target) continue;
    const key = `${source} → ${target}`;
    found.set(key, [...(found.get(key) ?? []), `${from} → ${to}`]);
  }
  return found;
}

describe('electron/core layers', () => {
  it('reads the imports of every core file', () => {
    expect(sourceFiles(CORE).length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(300);
    // The scanner sees type-only imports and re-exports too.
    expect(edges).toContainEqual({ from: 'ports.ts', to: 'time/clock.ts' });
    expect(edges).toContainEqual({ from: 'cache/freshToolIds.ts', to: 'server/turn/turnSink.ts' });
  });

  it('puts every file in a layer of the table', () => {
    const homeless = sourceFiles(CORE)
      .map(relative)
      .filter((file) => coreLayerOf(file) === undefined);
    expect(homeless).toEqual([]);
  });

  it('names only layers the table has, each a folder or file of the core', () => {
    const unknown = Object.entries(layers).flatMap(([name, layer]) =>
      layer.imports.filter((target) => !(target in layers)).map((target) => `${name} → ${target}`),
    );
    expect(unknown).toEqual([]);
    const missing = Object.keys(layers).filter((name) => !fs.existsSync(path.join(CORE, name)));
    expect(missing).toEqual([]);
  });

  it('has no import between layers that the table does not allow', () => {
    const refused = [...layerImports()].flatMap(([key, files]) => {
      const [source, target] = key.split(' → ') as [string, string];
      return layers[source]!.imports.includes(target) ? [] : files;
    });
    expect(refused).toEqual([]);
  });

  it('allows no import between layers that no file makes (the table stays the truth)', () => {
    const used = layerImports();
    const unused = Object.entries(layers).flatMap(([name, layer]) =>
      layer.imports
        .filter((target) => !used.has(`${name} → ${target}`))
        .map((target) => `${name} → ${target}`),
    );
    expect(unused).toEqual([]);
  });

  it('has no cycle among layers, in the table or in the imports', () => {
    expect(() => renderCoreLayers()).not.toThrow();
    const between = [...layerImports().keys()].map((key) => key.split(' → ') as [string, string]);
    expect(cyclesOf(between)).toEqual([]);
  });

  it('has no cycle among files', () => {
    expect(cyclesOf(edges.map(({ from, to }) => [from, to] as const))).toEqual([]);
  });

  it('finds cycles when there are some', () => {
    expect(
      cyclesOf([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['c', 'd'],
        ['e', 'e'],
      ]),
    ).toEqual([['a', 'b', 'c'], ['e']]);
    expect(() =>
      renderCoreLayers({ a: { holds: '', imports: ['b'] }, b: { holds: '', imports: ['a'] } }),
    ).toThrow(/cycle/);
  });

  it('shows the table in electron/core/README.md (npm run core-layers rewrites it)', () => {
    const readme = fs.readFileSync(CORE_README, 'utf8');
    expect(readme).toBe(readmeWithLayers(readme));
  });
});
