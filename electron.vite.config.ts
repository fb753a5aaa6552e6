import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * The renderer's entry (main.ts) is small and loads the app with a dynamic import once it has
 * sent the first request. The page should fetch and compile the app's chunk and stylesheet
 * meanwhile, not after: this lists them in index.html's head (modulepreload, stylesheet).
 */
function preloadApp(entry: string): Plugin {
  return {
    name: 'spool:preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find(
          (c) => c.type === 'chunk' && c.isDynamicEntry && c.facadeModuleId?.endsWith(entry),
        );
        if (!chunk || chunk.type !== 'chunk') throw new Error(`preload-app: no dynamic chunk for ${entry}`);
        const css = [...(chunk.viteMetadata?.importedCss ?? [])];
        return [
          { tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${chunk.fileName}` }, injectTo: 'head' },
          ...css.map((href) => ({
            tag: 'link',
            attrs: { rel: 'stylesheet', crossorigin: true, href: `./${href}` },
            injectTo: 'head' as const,
          })),
        ];
      },
    },
  };
}

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
    plugins: [react(), preloadApp('start-app.tsx')],
    build: {
      // Minified: the browser host serves the bundle over HTTP, and parse time is part of "first rows".
      minify: true,
      rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
