/**
 * Which chat host an account's credential goes to (docs/chat-hosts.md). Kiro is moving chat from
 * `q.{region}.amazonaws.com` to `runtime.{region}.kiro.dev`, and not every login type is accepted on both, so each
 * account's host is found by a probe that spends no credits, on first use and again after Kiro refused its
 * token; the answer is remembered in the account's record. The `chatHost` setting pins one host for all.
 */
import type { KiroClient, KiroCredential } from '../kiro/kiroClient.ts';
import type { ChatHostFamily } from '../kiro/kiroEndpoints.ts';
import type { Clock, Logger } from '../ports.ts';
import type { AccountRecord, AuthMethod } from './accountModel.ts';
import type { AccountRepository } from './accountRepository.ts';

/** The host each login type is tried on first; the other is the fallback (docs/chat-hosts.md). */
export const PROBE_ORDER: Record<AuthMethod, ChatHostFamily[]> = {
  social: ['q', 'runtime'],
  idc: ['q', 'runtime'],
  external_idp: ['q', 'runtime'],
  api_key: ['runtime', 'q'],
};

export interface ChatHostChooser {
  /** The pinned host, else the remembered one, else the one a probe finds now (one probe per account at a time). */
  hostFor(record: AccountRecord, credential: KiroCredential): Promise<ChatHostFamily>;
  /** Kiro refused this account's token: the host may be the wrong one, so the next use probes again. */
  forget(accountId: string): void;
}

export function createChatHostChooser(deps: {
  repository: AccountRepository;
  client: Pick<KiroClient, 'probeChatHost'>;
  clock: Clock;
  logger: Logger;
  pinned(): ChatHostFamily | undefined;
}): ChatHostChooser {
  const known = new Map<string, ChatHostFamily>();
  const probing = new Map<string, Promise<ChatHostFamily>>();
  /** Forgotten hosts: the caller's record may still name one until the account list is read again. */
  const forgotten = new Set<string>();

  async function probe(record: AccountRecord, credential: KiroCredential): Promise<ChatHostFamily> {
    const order = PROBE_ORDER[record.authMethod];
    const answers: string[] = [];
    for (const family of order) {
      const answer = await deps.client.probeChatHost(credential, family);
      answers.push(`${family}: ${answer}`);
      if (answer !== 'accepted') continue;
      known.set(record.id, family);
      forgotten.delete(record.id);
      if (deps.repository.get(record.id))
        deps.repository.update(record.id, { chatHost: { family, probedAt: deps.clock.now() } });
      deps.logger.info({ account: record.id, chatHost: family }, 'chat host found');
      return family;
    }
    // Nothing accepted (offline, or a token that is dead everywhere): use the usual host, remember nothing.
    deps.logger.warn({ account: record.id, probes: answers.join(', ') }, 'no chat host accepted the login');
    return order[0]!;
  }

  return {
    hostFor(record, credential) {
      const pinned = deps.pinned();
      if (pinned) return Promise.resolve(pinned);
      const remembered =
        known.get(record.id) ?? (forgotten.has(record.id) ? undefined : record.chatHost?.family);
      if (remembered) return Promise.resolve(remembered);
      let running = probing.get(record.id);
      if (!running) {
        running = probe(record, credential).finally(() => probing.delete(record.id));
        probing.set(record.id, running);
      }
      return running;
    },
    forget(accountId) {
      if (deps.pinned()) return;
      known.delete(accountId);
      forgotten.add(accountId);
      if (deps.repository.get(accountId)?.chatHost)
        deps.repository.update(accountId, { chatHost: undefined });
    },
  };
}
