import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const fromRoot = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The desktop app: main (ESM, package dependencies left external and loaded from node_modules), the preload
 * (one CommonJS file with everything inlined, as sandboxed preloads require) and the dashboard, which the
 * proxy serves from out/renderer at /dashboard/ (hence relative asset URLs, as in renderer/vite.config.ts).
 */
export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('out/main'),
      lib: { entry: fromRoot('electron/main/index.ts') },
    },
  },
  preload: {
    build: {
      outDir: fromRoot('out/preload'),
      externalizeDeps: false,
      lib: { entry: fromRoot('electron/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs', codeSplitting: false } },
    },
  },
  renderer: {
    root: fromRoot('renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: fromRoot('out/renderer'),
      emptyOutDir: true,
      assetsDir: 'assets',
      sourcemap: false,
      rolldownOptions: { input: fromRoot('renderer/index.html') },
    },
  },
});
