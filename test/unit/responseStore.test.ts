import { describe, expect, it } from 'vitest';
import { createResponseStore } from '../../electron/core/server/responseStore.ts';
import type { ResponsesInputItem } from '../../electron/core/translate/responsesRequest.ts';

const item = (text: string): ResponsesInputItem => ({ role: 'user', content: text });
const bytesOf = (items: ResponsesInputItem[]) => Buffer.byteLength(JSON.stringify(items));

describe('response store', () => {
  it('returns a copy of what was stored', () => {
    const store = createResponseStore({ maxEntries: 10, maxBytes: 10_000, ttlMs: 1_000, now: () => 0 });
    const items = [item('hello')];
    store.put('resp_1', items);
    items.push(item('changed later'));
    expect(store.get('resp_1')).toEqual([item('hello')]);
    expect(store.get('resp_unknown')).toBeUndefined();
  });

  it('evicts the least recently used beyond the entry cap', () => {
    const store = createResponseStore({ maxEntries: 2, maxBytes: 10_000, ttlMs: 1_000, now: () => 0 });
    store.put('resp_a', [item('a')]);
    store.put('resp_b', [item('b')]);
    store.get('resp_a');
    store.put('resp_c', [item('c')]);
    expect(store.get('resp_b')).toBeUndefined();
    expect(store.get('resp_a')).toEqual([item('a')]);
    expect(store.get('resp_c')).toEqual([item('c')]);
  });

  it('evicts beyond the byte cap and never keeps one entry larger than it', () => {
    const one = [item('x'.repeat(100))];
    const store = createResponseStore({
      maxEntries: 100,
      maxBytes: bytesOf(one) * 2,
      ttlMs: 1_000,
      now: () => 0,
    });
    store.put('resp_1', one);
    store.put('resp_2', one);
    store.put('resp_3', one);
    expect(store.get('resp_1')).toBeUndefined();
    expect(store.stats()).toMatchObject({ entries: 2, bytes: bytesOf(one) * 2 });
    store.put('resp_huge', [item('x'.repeat(1_000))]);
    expect(store.get('resp_huge')).toBeUndefined();
  });

  it('forgets a response after its time to live, on the injected clock', () => {
    let now = 0;
    const store = createResponseStore({ maxEntries: 10, maxBytes: 10_000, ttlMs: 1_000, now: () => now });
    store.put('resp_1', [item('a')]);
    now = 999;
    expect(store.get('resp_1')).toBeDefined();
    now = 2_000;
    expect(store.get('resp_1')).toBeUndefined();
  });
});
