#!/usr/bin/env node
// The CLI is TypeScript (cli/main.ts) run through tsx, so the library, the browser and the CLI
// share one source without a separate compile step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
