/**
 * The desktop app's entry: one instance per user, then the desktop host once Electron is ready. A second
 * launch (from the dock, the start menu, a shortcut) brings the first one's dashboard to the front.
 * `--self-test` runs the installed app's own checks instead (selfTest.ts) and exits with their result.
 */
import { app } from 'electron';
import { startDesktopApp, type DesktopApp } from './desktopApp.ts';
import { SELF_TEST_ARG } from './selfTest.ts';
import { prepareSelfTest, runSelfTestApp } from './selfTestApp.ts';
import { claimSingleInstance } from './singleInstance.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

let desktop: DesktopApp | undefined;
let showWhenReady = false;

function fail(what: string, error: unknown): void {
  process.stderr.write(`kiro-dock: ${what}: ${errorMessage(error)}\n`);
  app.exit(1);
}

if (process.argv.includes(SELF_TEST_ARG)) {
  const scratch = prepareSelfTest();
  void app
    .whenReady()
    .then(() => runSelfTestApp(scratch))
    .then((code) => app.exit(code))
    .catch((error: unknown) => fail('the self-test could not run', error));
} else if (
  claimSingleInstance(app, () => {
    if (desktop) desktop.showDashboard();
    else showWhenReady = true;
  })
) {
  void app
    .whenReady()
    .then(() => startDesktopApp())
    .then((started) => {
      desktop = started;
      if (showWhenReady) started.showDashboard();
    })
    .catch((error: unknown) => fail('the desktop app could not start', error));
}
