import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Main bundles three entries: the Electron glue, the engine worker and the parse worker (the
// engine never runs on the main process's event loop). The preload is CommonJS because sandboxed
// preloads cannot be ES modules.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          'engine-worker': resolve(import.meta.dirname, 'src/main/host/engine-worker.ts'),
          'parse-worker': resolve(import.meta.dirname, 'src/main/engine/indexer/parse-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      // Minified: the browser host serves the bundle over HTTP, and parse time is part of "first rows".
      minify: true,
      rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
