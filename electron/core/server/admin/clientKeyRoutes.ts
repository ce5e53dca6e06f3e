/**
 * `POST /admin/client-key/reveal` and `POST /admin/client-key/regenerate`. POST, not GET, for reveal: the key
 * must never sit in a cache or a prefetch. Neither the key nor any part of it is logged.
 */
import type express from 'express';
import type { ClientKeyResponse } from '../../../../shared/adminApi.ts';
import type { ClientKeyHolder } from '../../config/clientKeyHolder.ts';
import type { Logger } from '../../ports.ts';
import { AdminError } from './adminError.ts';

export function mountClientKeyRoutes(
  router: express.Router,
  clientKey: ClientKeyHolder,
  options: { logger: Logger; onRegenerated(): void },
): void {
  router.post('/client-key/reveal', (_req, res) => {
    const body: ClientKeyResponse = { key: clientKey.current() };
    res.setHeader('cache-control', 'no-store');
    res.json(body);
  });
  router.post('/client-key/regenerate', async (_req, res) => {
    if (!clientKey.regenerable) {
      throw new AdminError(
        409,
        'The client key is set by the KIRO_DOCK_API_KEY environment variable, so it cannot be regenerated here: ' +
          'change the variable and restart Kiro Dock.',
      );
    }
    const body: ClientKeyResponse = { key: await clientKey.regenerate() };
    options.logger.info({}, 'client key regenerated: the previous key no longer works');
    options.onRegenerated();
    res.setHeader('cache-control', 'no-store');
    res.json(body);
  });
}
