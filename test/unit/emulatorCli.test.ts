import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEventStream } from '../emulator/decodeEventStream.ts';
import { kiroRequestBody } from '../emulator/kiroRequestBody.ts';
import { rawRequest } from '../emulator/rawRequest.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let child: ChildProcess | undefined;
afterEach(() => {
  // Only a failed test leaves it running.
  if (child?.exitCode === null) child.kill('SIGKILL');
});

describe('emulator CLI', () => {
  it('prints {url, account}, serves with the given options and stops on SIGTERM', async () => {
    const emulatorProcess = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'test/emulator/cli.ts'),
        '--port',
        '0',
        '--chunks',
        '4',
        '--no-strict',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child = emulatorProcess;
    const [line] = (await once(readline.createInterface({ input: emulatorProcess.stdout }), 'line')) as [
      string,
    ];
    const info = JSON.parse(line) as {
      url: string;
      account: { accessToken: string; refreshToken: string; expiresAt: string; profileArn: string };
    };
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.account.profileArn).toMatch(/^arn:aws:codewhisperer:/);

    // --no-strict: an unknown model id is answered; --chunks 4: four text deltas.
    const response = await rawRequest(`${info.url}/generateAssistantResponse`, {
      body: kiroRequestBody('hi', { modelId: 'not-a-model' }),
      headers: { authorization: `Bearer ${info.account.accessToken}` },
    });
    expect(response.status).toBe(200);
    const texts = decodeEventStream(response.body).filter(
      (f) => f.headers[':event-type'] === 'assistantResponseEvent',
    );
    expect(texts).toHaveLength(4);

    emulatorProcess.kill('SIGTERM');
    const [code] = (await once(emulatorProcess, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
