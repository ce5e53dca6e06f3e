/** `GET /admin/claude-code` and `POST /admin/claude-code/settings`: pointing Claude Code at this proxy. */
import type express from 'express';
import type { ClaudeCodeSetupView, ClaudeCodeWriteResponse } from '../../../../shared/adminApi.ts';
import {
  claudeCodeSetupView,
  writeClaudeCodeSettings,
  type ClaudeCodeTarget,
} from '../../config/claudeCodeSetup.ts';
import { ClaudeSettingsFileError } from '../../config/claudeSettingsFile.ts';
import type { Clock, Logger } from '../../ports.ts';
import { AdminError } from './adminError.ts';

export interface ClaudeCodeRoutesOptions {
  /** Claude Code's settings file on this machine; undefined: the host did not say, and the routes answer 404. */
  settingsPath?: string;
  baseUrl(): string;
  clientKey(): string;
  clock: Clock;
  logger: Logger;
}

export function mountClaudeCodeRoutes(router: express.Router, options: ClaudeCodeRoutesOptions): void {
  const target = (): ClaudeCodeTarget => {
    if (!options.settingsPath) {
      throw new AdminError(404, 'This Kiro Dock host does not know where Claude Code keeps its settings.');
    }
    return { settingsPath: options.settingsPath, baseUrl: options.baseUrl(), clientKey: options.clientKey() };
  };
  router.get('/claude-code', async (_req, res) => {
    const body: ClaudeCodeSetupView = await claudeCodeSetupView(target());
    res.setHeader('cache-control', 'no-store');
    res.json(body);
  });
  router.post('/claude-code/settings', async (_req, res) => {
    let body: ClaudeCodeWriteResponse;
    try {
      body = await writeClaudeCodeSettings(target(), new Date(options.clock.now()));
    } catch (error) {
      if (error instanceof ClaudeSettingsFileError) throw new AdminError(409, error.message);
      throw error;
    }
    options.logger.info(
      { settingsPath: body.settingsPath, backupPath: body.backupPath },
      'Claude Code settings pointed at this proxy',
    );
    res.json(body);
  });
}
