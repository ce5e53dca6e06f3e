/** `GET /admin/settings` and `PATCH /admin/settings` (validated as a whole: nothing is saved when any part is wrong). */
import type express from 'express';
import type { SettingsPatchResponse, SettingsView } from '../../../../shared/adminApi.ts';
import type { CoreSettings } from '../../config/coreSettings.ts';
import { SettingsUnreadableError } from '../../config/lastGoodSettingsStore.ts';
import type { Logger } from '../../ports.ts';
import { validateBody } from '../validateBody.ts';
import { settingsPatchBody } from './adminBodies.ts';
import { AdminError } from './adminError.ts';

export function mountSettingsRoutes(router: express.Router, settings: CoreSettings, logger: Logger): void {
  router.get('/settings', (_req, res) => {
    const body: SettingsView = settings.view();
    res.json(body);
  });
  router.patch('/settings', (req, res) => {
    const patch = validateBody(settingsPatchBody, req.body);
    let body: SettingsPatchResponse;
    try {
      body = settings.apply(patch);
    } catch (error) {
      if (error instanceof SettingsUnreadableError) throw new AdminError(409, error.message);
      throw error;
    }
    logger.info({ changed: Object.keys(patch), restartRequired: body.restartRequired }, 'settings changed');
    res.json(body);
  });
}
