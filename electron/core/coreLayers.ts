/**
 * The core's layers: each folder of electron/core (and each file at its root) and the layers it may import.
 * Nothing imports this at run time; `test/unit/coreLayers.test.ts` scans every import of the core against it
 * (no import between layers it does not list, none it lists unused, no cycle among layers or files) and checks
 * that the diagram in README.md is `renderCoreLayers()`'s (`npm run core-layers` rewrites it).
 *
 * A file belongs to the longest layer whose folder holds it: `server/turn/x.ts` to `server/turn`, `server/admin/x.ts`
 * to `server`. Imports within a layer are free (a file-level cycle still fails).
 */
export interface CoreLayer {
  /** What lives there, one line. */
  holds: string;
  /** The layers its files may import. */
  imports: readonly string[];
}

export const CORE_LAYERS = {
  'index.ts': {
    holds: 'createCore: the core assembled from ports; the public entry for hosts',
    imports: [
      'accounts',
      'cache',
      'config',
      'keys',
      'kiro',
      'logging',
      'ports.ts',
      'redis',
      'secrets',
      'server',
      'settings',
      'signin',
      'stats',
      'teamSurface.ts',
      'usage',
    ],
  },
  'teamSurface.ts': {
    holds: "hosts' entry to client keys, the usage ledger and Redis",
    imports: ['keys', 'redis', 'secrets', 'usage'],
  },
  server: {
    holds: 'express app, routes, auth, the admin API, the request path (runTurn, serveTurn, recorder)',
    imports: [
      'accounts',
      'cache',
      'config',
      'keys',
      'kiro',
      'ports.ts',
      'redis',
      'server/turn',
      'signin',
      'stats',
      'translate',
      'usage',
    ],
  },
  config: {
    holds: 'settings the dashboard edits, the client key, Claude Code setup',
    imports: ['accounts', 'cache', 'json', 'kiro', 'ports.ts'],
  },
  cache: {
    holds: 'response cache, turn coalescing, the model catalogue',
    imports: ['accounts', 'kiro', 'server/turn', 'translate'],
  },
  stats: {
    holds: 'counters, time series, metrics, health',
    imports: ['accounts', 'kiro', 'ports.ts', 'server/turn', 'translate'],
  },
  'server/turn': {
    holds: "a turn's shared types: TurnSink, FailedAttempt, the request record, its credits",
    imports: ['keys', 'kiro', 'translate'],
  },
  signin: {
    holds: 'Builder ID / IAM Identity Center and social sign-in',
    imports: ['accounts', 'kiro', 'ports.ts'],
  },
  secrets: {
    holds: 'secret stores: memory, file, OS keychain',
    imports: ['accounts', 'ports.ts'],
  },
  accounts: {
    holds: 'the pool, refresher, quotas, IDE and kiro-cli sources',
    imports: ['json', 'kiro', 'logging', 'ports.ts', 'time'],
  },
  redis: {
    holds: 'team state, accounts, refresh locks, pool signals and cached answers shared by replicas',
    imports: ['accounts', 'cache', 'json', 'keys', 'ports.ts', 'secrets'],
  },
  keys: {
    holds: "the team's client keys, budgets, rates",
    imports: ['ports.ts', 'usage'],
  },
  translate: {
    holds: 'pure translators: client dialects ⇄ Kiro',
    imports: ['json', 'kiro'],
  },
  kiro: {
    holds: 'the Kiro client, event-stream codec, upstream errors',
    imports: ['json', 'ports.ts', 'time'],
  },
  usage: {
    holds: 'the SQLite usage ledger',
    imports: ['ports.ts'],
  },
  logging: { holds: 'the pino logger', imports: ['ports.ts'] },
  settings: { holds: 'settings stores: JSON file, memory', imports: ['ports.ts'] },
  'ports.ts': {
    holds: 'what hosts provide: secret store, settings store, clock, logger',
    imports: ['time'],
  },
  time: { holds: 'the Clock and the bounds on outside times', imports: [] },
  json: { holds: 'JSON parsing helpers', imports: [] },
  'coreLayers.ts': { holds: 'this table', imports: [] },
} as const satisfies Record<string, CoreLayer>;

export type CoreLayerName = keyof typeof CORE_LAYERS;

/**
 * The layer of a file, by its path below electron/core with forward slashes (`server/turn/turnSink.ts`), or
 * undefined when the table has none.
 */
export function coreLayerOf(file: string): string | undefined {
  if (!file.includes('/')) return file in CORE_LAYERS ? file : undefined;
  return Object.keys(CORE_LAYERS)
    .filter((name) => !name.endsWith('.ts') && file.startsWith(`${name}/`))
    .sort((a, b) => b.length - a.length)[0];
}

/**
 * The table as text, top layer first: each layer's rank (one above the highest it imports), name, allowed
 * imports and what it holds. Throws on a cycle in the table itself.
 */
export function renderCoreLayers(layers: Record<string, CoreLayer> = CORE_LAYERS): string {
  const rank = new Map<string, number>();
  const rankOf = (name: string, path: readonly string[]): number => {
    const known = rank.get(name);
    if (known !== undefined) return known;
    if (path.includes(name)) throw new Error(`layer cycle: ${[...path, name].join(' → ')}`);
    const layer = layers[name];
    if (!layer) throw new Error(`unknown layer ${name} (imported by ${path.at(-1)})`);
    const value = Math.max(-1, ...layer.imports.map((target) => rankOf(target, [...path, name]))) + 1;
    rank.set(name, value);
    return value;
  };
  const names = Object.keys(layers).sort((a, b) => rankOf(b, []) - rankOf(a, []) || a.localeCompare(b));
  const width = Math.max(...names.map((name) => name.length));
  return names
    .map((name) => {
      const layer = layers[name]!;
      const imports = layer.imports.length > 0 ? [...layer.imports].sort().join(', ') : '(nothing)';
      return `${String(rank.get(name)).padStart(2)}  ${name.padEnd(width)}  → ${imports}\n${' '.repeat(width + 8)}${layer.holds}`;
    })
    .join('\n');
}
