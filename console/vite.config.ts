import { defineConfig } from 'vite';

// Built into dist/ and served by the service at /console (src/console in the service). Every file
// but index.html carries a content hash in its name, so the service can let browsers keep it a
// year; nothing is inlined, since the Content-Security-Policy allows no inline script or style.
export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
