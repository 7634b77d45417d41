export { buildProgram } from './program';
export { runBridge, type RunHooks } from './run';
export { runChecks, formatCheck, type CheckResult } from './check';
export { addBridgeOptions, applyConfigFile, resolveConfig, describeConfig, BRIDGE_DEFAULTS, type BridgeConfig } from './config';
export { createBridgeMetrics, startMetricsServer, type BridgeMetrics } from './metrics';
export { handler, createKafkaHandler } from './lambda';
