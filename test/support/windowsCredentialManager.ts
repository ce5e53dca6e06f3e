/**
 * A stand-in for Windows Credential Manager as the keychain binding uses it, enforcing the rule that bites: a
 * credential blob holds at most CRED_MAX_CREDENTIAL_BLOB_SIZE (2,560) bytes, and the binding writes a password
 * as UTF-16LE, so a longer value is refused like the real CredWriteW refusal the binding reports. It can also be
 * told to die after a number of writes, as a process killed mid-write would.
 */
import type { KeychainEntries } from '../../electron/core/secrets/chunkedSecretStore.ts';

export const CRED_MAX_CREDENTIAL_BLOB_SIZE = 2_560;

export class SimulatedCrash extends Error {
  constructor() {
    super('the process died here');
  }
}

export interface FakeCredentialManager extends KeychainEntries {
  readonly credentials: Map<string, string>;
  /** Writes that succeed from now on before every further write throws SimulatedCrash; undefined: no limit. */
  crashAfterWrites: number | undefined;
  /** Removes that succeed before every further remove throws SimulatedCrash; undefined: no limit. */
  crashAfterRemoves: number | undefined;
}

export function createWindowsCredentialManager(): FakeCredentialManager {
  const credentials = new Map<string, string>();
  const manager: FakeCredentialManager = {
    credentials,
    crashAfterWrites: undefined,
    crashAfterRemoves: undefined,
    read: async (name) => credentials.get(name),
    async write(name, value) {
      if (manager.crashAfterWrites !== undefined && manager.crashAfterWrites-- <= 0)
        throw new SimulatedCrash();
      const bytes = Buffer.byteLength(value, 'utf16le');
      if (bytes > CRED_MAX_CREDENTIAL_BLOB_SIZE)
        throw new Error(
          `Attribute password is longer than platform limit of ${CRED_MAX_CREDENTIAL_BLOB_SIZE} chars`,
        );
      credentials.set(name, value);
    },
    async remove(name) {
      if (manager.crashAfterRemoves !== undefined && manager.crashAfterRemoves-- <= 0)
        throw new SimulatedCrash();
      credentials.delete(name);
    },
  };
  return manager;
}
