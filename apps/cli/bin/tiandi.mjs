#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx tiandi` works right after `npm install`
// with no build step. Worker threads started by the packages register tsx themselves.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
