#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npm ci` is the only set-up step (no build output).
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('./main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
