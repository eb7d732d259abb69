#!/usr/bin/env node
// `npm start` = `npm run build` then this: serve the production build of the playground (dist/web)
// with Vite's preview server and print the URL. Same host/port as playwright.config.ts and the README
// (127.0.0.1:4176; stack.md §6: always bind the host the URL names). No COOP/COEP headers on purpose:
// the playground must work inside cross-origin documentation iframes (DESIGN.md §5).
//   node scripts/serve.mjs [--port N] [--host H]
import { preview } from 'vite';

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const v = args[i + 1];
  if (v === undefined) {
    console.error(`serve: ${name} needs a value`);
    process.exit(2);
  }
  return v;
}
const host = option('--host', '127.0.0.1');
const port = Number(option('--port', '4176'));
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`serve: --port must be an integer in 1..65535, got ${JSON.stringify(option('--port', ''))}`);
  process.exit(2);
}

const server = await preview({
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  preview: { host, port, strictPort: true, open: false },
  logLevel: 'warn',
});
const url = server.resolvedUrls?.local[0] ?? `http://${host}:${port}/`;
console.log(`virtfs-lab playground: ${url}`);
console.log('(Ctrl+C to stop)');
