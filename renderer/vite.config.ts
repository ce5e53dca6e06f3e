import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dashboard as static files: `kiro-dock serve` and the desktop app serve them at /dashboard/. Relative asset
 * URLs keep the build independent of where it is mounted.
 */
export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Hashed names are cached for a year by the server; index.html is never cached.
    assetsDir: 'assets',
    sourcemap: false,
  },
});
