/**
 * What the Codex CLI needs to use this proxy: a `config.toml` (no secret in it: `env_key` names the variable that
 * holds the client key) and the shell line that sets that variable.
 */

export const CODEX_KEY_VARIABLE = 'KIRO_DOCK_API_KEY';

export function codexConfigToml(address: string): string {
  return [
    'model = "claude-sonnet-4-5"',
    'model_provider = "kirodock"',
    '',
    '[model_providers.kirodock]',
    'name = "Kiro Dock"',
    `base_url = "http://${address}/v1"`,
    `env_key = "${CODEX_KEY_VARIABLE}"`,
    'wire_api = "responses"',
  ].join('\n');
}

/** The export line; the key is single-quoted for POSIX shells, with its own single quotes escaped. */
export function codexKeyLine(clientKey: string): string {
  return `export ${CODEX_KEY_VARIABLE}='${clientKey.replaceAll(`'`, `'\\''`)}'`;
}
