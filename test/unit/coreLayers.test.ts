/**
 * Every import inside electron/core follows the layer table (`electron/core/coreLayers.ts`): no import between
 * layers the table does not allow, no allowance nothing uses, no cycle among layers or among files, and the
 * README's diagram is the table's. Hosts reach the core only through its entries.
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
import { cyclesOf, importEdges, sourceFiles, specifiersOf } from '../support/importGraph.ts';

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

describe('hosts', () => {
  // electron/main, the CLI and its commands, the daemon, the dashboard and shared/ (lint refuses the same while
  // editing: eslint.config.js). The tests and the benchmarks may reach the core's parts.
  const entries = ['index.ts', 'ports.ts', 'teamSurface.ts'].map((file) => path.join(CORE, file));
  const hosts = ['electron', 'renderer', 'shared']
    .flatMap((root) => sourceFiles(path.resolve(root)))
    .filter((file) => !file.startsWith(CORE + path.sep));

  it('import electron/core only through index.ts, ports.ts and teamSurface.ts', () => {
    expect(hosts.length).toBeGreaterThan(50);
    const deep = hosts.flatMap((file) =>
      specifiersOf(file)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => path.resolve(path.dirname(file), specifier))
        .filter((target) => target.startsWith(CORE + path.sep) && !entries.includes(target))
        .map((target) => `${path.relative('.', file)} → ${path.relative('.', target)}`),
    );
    expect(deep).toEqual([]);
  });
});
