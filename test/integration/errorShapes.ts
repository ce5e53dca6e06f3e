/** The error body each kind of route answers with, as its clients parse it. */
import { expect } from 'vitest';

export type ErrorDialect = 'anthropic' | 'openai' | 'admin';

export function expectErrorShape(dialect: ErrorDialect, body: unknown, context?: string): void {
  switch (dialect) {
    case 'anthropic':
      expect(body, context).toEqual({
        type: 'error',
        error: { type: expect.any(String), message: expect.any(String) },
      });
      return;
    case 'openai':
      expect(body, context).toEqual({
        error: { message: expect.any(String), type: expect.any(String), param: null, code: null },
      });
      return;
    case 'admin':
      expect(body, context).toEqual({ error: { message: expect.any(String) } });
  }
}
