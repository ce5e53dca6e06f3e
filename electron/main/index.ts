/**
 * The desktop app's entry: one instance per user, then the desktop host once Electron is ready. A second
 * launch (from the dock, the start menu, a shortcut) brings the first one's dashboard to the front.
 */
import { app } from 'electron';
import { startDesktopApp, type DesktopApp } from './desktopApp.ts';
import { claimSingleInstance } from './singleInstance.ts';

let desktop: DesktopApp | undefined;
let showWhenReady = false;

if (
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
    .catch((error: unknown) => {
      process.stderr.write(`kiro-dock: the desktop app could not start: ${String(error)}\n`);
      app.exit(1);
    });
}
