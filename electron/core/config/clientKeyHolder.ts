/**
 * The client key the running proxy accepts. It can be replaced while running (the dashboard's "regenerate"):
 * the API's key check reads it on every request, so the old key stops working at once.
 */
import type { SecretStore } from '../ports.ts';
import { storeNewClientKey } from './clientKey.ts';

export interface ClientKeyHolder {
  current(): string;
  /** `kd-…abcd`: enough to recognise the key, never enough to use it. */
  preview(): string;
  /** False when the host took the key from its environment, which a stored key would not override. */
  readonly regenerable: boolean;
  /** Stores a new key and accepts only it from now on. */
  regenerate(): Promise<string>;
}

export function createClientKeyHolder(options: {
  key: string;
  store: SecretStore;
  regenerable: boolean;
}): ClientKeyHolder {
  let key = options.key;
  return {
    current: () => key,
    preview: () => previewOf(key),
    regenerable: options.regenerable,
    async regenerate() {
      if (!options.regenerable) throw new Error('The client key comes from the environment.');
      key = await storeNewClientKey(options.store);
      return key;
    },
  };
}

/** Short keys (set by hand) show less, so the preview never gives most of a key away. */
function previewOf(key: string): string {
  const prefix = key.startsWith('kd-') ? 'kd-' : '';
  const suffix = key.length >= 16 ? key.slice(-4) : '';
  return `${prefix}…${suffix}`;
}
