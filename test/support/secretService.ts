/**
 * Vitest global setup: a private Secret Service for the keychain tests. It starts a D-Bus session bus of its
 * own (a fresh HOME and XDG folders, so no real keyring is touched) on which GNOME Keyring is started, unlocked,
 * through D-Bus activation: the bus answers StartServiceByName only once the keyring owns its name, so nothing
 * has to be waited for by polling.
 *
 * The bus address reaches the test workers as KIRO_DOCK_TEST_DBUS_ADDRESS, not as DBUS_SESSION_BUS_ADDRESS: only
 * the keychain tests point themselves at it, and every other test sees the machine exactly as it was. When the
 * daemons are missing or fail to start, KIRO_DOCK_TEST_SECRET_SERVICE_PROBLEM says why instead.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const SECRET_SERVICE_FLAG = 'KIRO_DOCK_TEST_SECRET_SERVICE';
export const SECRET_SERVICE_ADDRESS = 'KIRO_DOCK_TEST_DBUS_ADDRESS';
export const SECRET_SERVICE_PROBLEM = 'KIRO_DOCK_TEST_SECRET_SERVICE_PROBLEM';

const SECRETS_NAME = 'org.freedesktop.secrets';
const REPLY_TIMEOUT_MS = 15_000;
const REQUIRED_PROGRAMS = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'];

const run = promisify(execFile);

export default async function setup(): Promise<() => Promise<void>> {
  const programs = await Promise.all(REQUIRED_PROGRAMS.map(findProgram));
  const missing = REQUIRED_PROGRAMS.filter((_name, index) => programs[index] === undefined);
  const keyringDaemon = programs[REQUIRED_PROGRAMS.indexOf('gnome-keyring-daemon')];
  if (missing.length > 0 || !keyringDaemon) {
    process.env[SECRET_SERVICE_PROBLEM] =
      `${missing.join(', ')} not installed (apt-get install gnome-keyring dbus dbus-x11)`;
    return async () => undefined;
  }
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-secret-service-'));
  let bus: ChildProcess | undefined;
  try {
    const keyring = await prepareKeyringHome(root, keyringDaemon);
    const started = await startBus(root, keyring.env);
    bus = started.bus;
    await dbusCall(started.address, 'StartServiceByName', `string:${SECRETS_NAME}`, 'uint32:0');
    const keyringPid = Number(
      /uint32 (\d+)/.exec(
        await dbusCall(started.address, 'GetConnectionUnixProcessID', `string:${SECRETS_NAME}`),
      )?.[1],
    );
    process.env[SECRET_SERVICE_FLAG] = '1';
    process.env[SECRET_SERVICE_ADDRESS] = started.address;
    return () => stop(started.bus, keyringPid, root);
  } catch (error) {
    process.env[SECRET_SERVICE_PROBLEM] =
      `the private Secret Service did not start: ${(error as Error).message}`;
    await stop(bus, Number.NaN, root);
    return async () => undefined;
  }
}

/** A home for the keyring and a bus configuration that can activate only that keyring. */
async function prepareKeyringHome(root: string, keyringDaemon: string): Promise<{ env: NodeJS.ProcessEnv }> {
  const folders = { HOME: 'home', XDG_DATA_HOME: 'data', XDG_CONFIG_HOME: 'config', XDG_CACHE_HOME: 'cache' };
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: path.join(root, 'run') };
  delete env['DBUS_SESSION_BUS_ADDRESS'];
  for (const [name, folder] of Object.entries(folders)) env[name] = path.join(root, folder);
  for (const folder of [...Object.values(folders), 'run', 'services', 'bus']) {
    await fs.mkdir(path.join(root, folder), { mode: 0o700 });
  }
  const password = randomBytes(12).toString('hex');
  const keyringCommand = `printf ${password} | exec ${keyringDaemon} --foreground --unlock --components=secrets`;
  await fs.writeFile(
    path.join(root, 'services', `${SECRETS_NAME}.service`),
    `[D-BUS Service]\nName=${SECRETS_NAME}\nExec=/bin/sh -c "${keyringCommand}"\n`,
  );
  await fs.writeFile(path.join(root, 'bus.conf'), busConfig(root));
  return { env };
}

function busConfig(root: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${path.join(root, 'bus')}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>${path.join(root, 'services')}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

/** Starts dbus-daemon in the foreground (so it is ours to stop) and resolves with the address it prints. */
function startBus(root: string, env: NodeJS.ProcessEnv): Promise<{ bus: ChildProcess; address: string }> {
  const bus = spawn(
    'dbus-daemon',
    [`--config-file=${path.join(root, 'bus.conf')}`, '--nofork', '--print-address=1'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    bus.stderr!.on('data', (chunk: Buffer) => void (errors += chunk.toString()));
    bus.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const newline = output.indexOf('\n');
      if (newline >= 0) resolve({ bus, address: output.slice(0, newline).trim() });
    });
    bus.once('error', reject);
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}: ${errors.trim()}`)));
  });
}

async function dbusCall(address: string, method: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('dbus-send', [
    `--bus=${address}`,
    '--print-reply',
    `--reply-timeout=${REPLY_TIMEOUT_MS}`,
    '--dest=org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    `org.freedesktop.DBus.${method}`,
    ...args,
  ]);
  return stdout;
}

async function stop(bus: ChildProcess | undefined, keyringPid: number, root: string): Promise<void> {
  if (Number.isInteger(keyringPid) && keyringPid > 0) {
    try {
      process.kill(keyringPid, 'SIGTERM');
    } catch {
      // Already gone: it also quits on its own when its bus goes away.
    }
  }
  if (bus && bus.exitCode === null && bus.signalCode === null) {
    const exited = new Promise((resolve) => bus.once('exit', resolve));
    bus.kill('SIGTERM');
    await exited;
  }
  await fs.rm(root, { recursive: true, force: true });
}

/** The program's full path on PATH (the bus starts the keyring with an environment of its own). */
async function findProgram(name: string): Promise<string | undefined> {
  for (const folder of (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(folder, name);
    try {
      await fs.access(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}
