import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The playground lives in web/; static assets (presets, compiled guests) in public/.
// No COOP/COEP headers: the playground must work in cross-origin documentation iframes and on
// plain static hosting (DESIGN.md §5); SharedArrayBuffer is only an enhancement.
export default defineConfig({
  root: 'web',
  publicDir: '../public',
  base: './',
  plugins: [svelte()],
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022' },
  server: { port: 5173, strictPort: true, host: '127.0.0.1' },
  preview: { port: 4176, strictPort: true, host: '127.0.0.1' },
  worker: { format: 'es' },
  optimizeDeps: { include: ['@bjorn3/browser_wasi_shim'] },
});
