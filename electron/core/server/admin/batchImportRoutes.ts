/**
 * `/admin/accounts/batch`: import many logins at once. `POST` starts (400 when the text cannot be read at all),
 * `GET /:id` follows the progress, entry by entry. A few finished imports are kept for a late poll.
 */
import { randomBytes } from 'node:crypto';
import type express from 'express';
import { z } from 'zod';
import type { BatchImportView, StartBatchImportRequest } from '../../../../shared/batchImportApi.ts';
import { runBatchImport, type BatchImportDeps } from '../../accounts/batchImport.ts';
import { parseBatch, type BatchLogin } from '../../accounts/batchParse.ts';
import type { Logger } from '../../ports.ts';
import { validateBody } from '../validateBody.ts';
import { AdminError } from './adminError.ts';
import { errorMessage } from '../../../../shared/errorMessage.ts';

const MAX_KEPT = 10;
/** The admin body limit (64 KB) allows a few hundred tokens; this many entries at most per import. */
const MAX_ENTRIES = 500;

const startBody: z.ZodType<StartBatchImportRequest> = z.strictObject({
  text: z.string().min(1, 'paste refresh tokens or an export file'),
});

export function mountBatchImportRoutes(
  router: express.Router,
  deps: BatchImportDeps & { logger: Logger; afterImport(): Promise<void> },
): void {
  const imports = new Map<string, BatchImportView>();

  router.post('/accounts/batch', (req, res) => {
    const { text } = validateBody(startBody, req.body);
    const logins = readLogins(text);
    const id = `bi_${randomBytes(8).toString('hex')}`;
    const view: BatchImportView = { id, done: false, items: [] };
    imports.set(id, view);
    for (const old of [...imports.keys()].slice(0, Math.max(0, imports.size - MAX_KEPT))) imports.delete(old);
    let first = true;
    const started = runBatchImport(deps, logins, (items) => {
      view.items = items;
      if (first) {
        first = false;
        res.status(202).json(structuredClone(view));
      }
    });
    started
      .then(async (items) => {
        view.items = items;
        view.done = true;
        await deps.afterImport();
        const added = items.filter((item) => item.status === 'added').length;
        deps.logger.info({ entries: items.length, added }, 'batch import finished');
      })
      .catch((error: unknown) => {
        view.done = true;
        deps.logger.error({ error: errorMessage(error) }, 'batch import failed');
        if (first) res.status(500).json({ error: { message: `The import failed: ${errorMessage(error)}` } });
      });
  });

  router.get('/accounts/batch/:id', (req, res) => {
    const view = imports.get(req.params['id']);
    if (!view) throw new AdminError(404, `No import ${req.params['id']}: start a new one.`);
    res.json(structuredClone(view));
  });
}

function readLogins(text: string): BatchLogin[] {
  let logins: BatchLogin[];
  try {
    logins = parseBatch(text);
  } catch (error) {
    throw new AdminError(400, errorMessage(error));
  }
  if (logins.length === 0)
    throw new AdminError(400, 'Nothing to import: paste refresh tokens or an export file.');
  if (logins.length > MAX_ENTRIES)
    throw new AdminError(
      400,
      `${logins.length} entries is too many at once; import at most ${MAX_ENTRIES} per batch.`,
    );
  return logins;
}
