export { BRIDGE_DEFAULTS, ProbeErrorCode, describeConfig, mutationOptions, type BridgeConfig } from './config';
export { runBridge, type RunHooks } from './run-bridge';
export { runChecks, formatCheck, CheckFailedError, type CheckResult } from './check';
export { probeAppSync, probeKey, probePublish, probeQuote, KEY_PROBE, type ProbeOutcome } from './probe';
export { createBridgeMetrics, startMetricsServer, type BridgeMetrics, type MetricsServer } from './metrics';
export {
  createLiveStats,
  createStatusLog,
  createTerminalStatus,
  formatStatus,
  percentile,
  type BridgeState,
  type LiveStats,
  type StatusReporter,
  type StatusSnapshot,
} from './status';
export { createKafkaHandler, loggingDeadLetters, type KafkaHandlerOptions, type LambdaContext } from './lambda-handler';
