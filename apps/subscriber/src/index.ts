export { buildProgram } from './program';
export { subExitCodeFor, SubExitCode } from './exit-codes';
export { resolveConfig, subscriptionRequest, type SubConfig } from './config';
