#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

// graphql-js runs extra cross-realm instanceof checks unless NODE_ENV is 'production'; they cost
// several percent of every request on the server's hot path. Respect an explicit setting.
process.env.NODE_ENV ??= 'production';

register();
await import('../src/main.ts');
