export { buildApps, listApps, repoRoot } from './build-app.mjs';
