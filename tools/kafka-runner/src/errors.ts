import { AppError } from '@tickerflow/core';

/** Stable codes of the runner's failures (exit code 1 from the CLI). */
export const RunnerErrorCode = {
  javaNotFound: 'JAVA_NOT_FOUND',
  javaTooOld: 'JAVA_TOO_OLD',
  mavenNotFound: 'MAVEN_NOT_FOUND',
  mavenFailed: 'MAVEN_FAILED',
  versionMismatch: 'KAFKA_VERSION_MISMATCH',
  portInUse: 'PORT_IN_USE',
  formatFailed: 'STORAGE_FORMAT_FAILED',
  brokerExited: 'BROKER_EXITED',
  startTimeout: 'BROKER_START_TIMEOUT',
  stopFailed: 'BROKER_STOP_FAILED',
  lockTimeout: 'RUNNER_LOCK_TIMEOUT',
} as const;

export type RunnerErrorCode = (typeof RunnerErrorCode)[keyof typeof RunnerErrorCode];

/** A failure to run the local broker, with a hint for the person at the terminal. */
export class KafkaRunnerError extends AppError {
  constructor(code: RunnerErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
