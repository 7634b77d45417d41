export {
  brokerLogFile,
  brokerPortDir,
  brokerStatus,
  releaseBroker,
  startBroker,
  stopBroker,
  REPO_ROOT,
  type BrokerStatus,
  type RunnerOptions,
  type StartOptions,
  type StartResult,
  type StartedBy,
  type StopResult,
} from './broker';
export {
  DEFAULT_KAFKA_PORT,
  DEFAULT_KAFKA_VERSION,
  resolveRunnerConfig,
  runnerPaths,
  type RunnerConfig,
  type RunnerPaths,
} from './config';
export { KafkaRunnerError, RunnerErrorCode } from './errors';
export { renderPom, runtimeArtifacts, loggingBackend, type MavenArtifact } from './pom';
export { renderServerProperties, serverSettings } from './server-properties';
