import type { SecretStore } from '../ports.ts';

/** Secrets for the life of the process only: nothing touches the disk. */
export function createMemorySecretStore(): SecretStore {
  const secrets = new Map<string, string>();
  return {
    kind: 'memory',
    get: (name) => Promise.resolve(secrets.get(name)),
    set: (name, value) => {
      secrets.set(name, value);
      return Promise.resolve();
    },
    delete: (name) => {
      secrets.delete(name);
      return Promise.resolve();
    },
  };
}
