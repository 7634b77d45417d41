export { buildProgram, BRIDGE_EXIT_CODES } from './program';
export { addBridgeOptions, applyConfigFile, resolveConfig } from './config';
export { handler } from './lambda';
