/**
 * The admin API over node:http (fetch will not let a caller choose Host or Origin), its live events as they
 * arrive, and the proxy and stream each admin test opens.
 */
import http from 'node:http';
import { afterEach } from 'vitest';
import type { AccountView, AdminEvent } from '../../shared/adminApi.ts';
import { ADMIN_TOKEN, type ProxyHarness } from './proxyHarness.ts';

/** The proxy a test started and the event stream it listens with. */
export interface AdminTestScope {
  proxy?: ProxyHarness;
  events?: AdminEventStream;
}

/**
 * A scope the calling test file's tests fill in; after each test the stream is closed before the proxy it
 * listens to, whatever the outcome, and the scope is emptied for the next test.
 */
export function adminTestScope(): AdminTestScope {
  const scope: AdminTestScope = {};
  afterEach(async () => {
    scope.events?.close();
    scope.events = undefined;
    await scope.proxy?.close();
    scope.proxy = undefined;
  });
  return scope;
}

export interface AdminAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json<T = unknown>(): T;
}

export interface AdminRequestOptions {
  body?: unknown;
  /** The Bearer token; null sends none. Default: the harness's admin token. */
  token?: string | null;
  headers?: Record<string, string>;
}

export function adminRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: AdminRequestOptions = {},
): Promise<AdminAnswer> {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(payload !== undefined && { 'content-type': 'application/json' }),
    ...(token !== null && { authorization: `Bearer ${token}` }),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, baseUrl), { method, headers });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.end(payload);
  });
}

/** `GET /admin/events`, collected. */
export class AdminEventStream {
  readonly events: AdminEvent[] = [];
  readonly headers: http.IncomingHttpHeaders;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly req: http.ClientRequest,
    res: http.IncomingMessage,
  ) {
    this.headers = res.headers;
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        if (data) this.events.push(JSON.parse(data.slice(6)) as AdminEvent);
      }
      for (const wake of [...this.waiters]) wake();
    });
  }

  static open(baseUrl: string, token = ADMIN_TOKEN): Promise<AdminEventStream> {
    return new Promise((resolve, reject) => {
      const req = http.get(new URL('/admin/events', baseUrl), {
        headers: { authorization: `Bearer ${token}` },
      });
      req.once('error', reject);
      req.once('response', (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET /admin/events answered ${res.statusCode}`));
          return;
        }
        const stream = new AdminEventStream(req, res);
        // The first line (": connected") means the hub follows its sources from now on.
        res.once('data', () => resolve(stream));
      });
    });
  }

  /** Resolves with the first event (already received or still to come) that matches. */
  next<T extends AdminEvent['type']>(
    type: T,
    matches: (event: Extract<AdminEvent, { type: T }>) => boolean = () => true,
  ): Promise<Extract<AdminEvent, { type: T }>> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.events.find(
          (event): event is Extract<AdminEvent, { type: T }> =>
            event.type === type && matches(event as Extract<AdminEvent, { type: T }>),
        );
        if (!found) return;
        this.waiters.delete(check);
        resolve(found);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Every view of one account the stream carried, in order. */
  accountEvents(id: string): AccountView[] {
    return this.events.flatMap((event) =>
      event.type === 'account' && event.account.id === id ? [event.account] : [],
    );
  }

  close(): void {
    this.req.destroy();
  }
}
