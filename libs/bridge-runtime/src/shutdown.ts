import type { Consumer } from 'kafkajs';
import type { Logger } from '@tickerflow/cli';
import { errorMessage } from '@tickerflow/core';
import type { Committer } from './committer';
import type { BridgeConfig } from './config';
import type { KafkaDeadLetterSink } from './dead-letter-sink';
import type { MetricsServer } from './metrics';
import type { PartitionPipelines } from './partition-pipeline';
import type { LiveStats } from './status';

export interface RunningBridge {
  readonly consumer: Consumer;
  readonly pipelines: PartitionPipelines;
  readonly committer: Committer;
  /** Aborted when the shutdown timeout passes: requests still in flight are cancelled. */
  readonly abort: AbortController;
  readonly deadLetters: KafkaDeadLetterSink;
  readonly publisher: { close(): Promise<void> };
  readonly metricsServer: MetricsServer | undefined;
}

/**
 * Stops a running bridge: fetch nothing new, let requests in flight finish within the
 * shutdown timeout, commit what AppSync accepted, leave the group, close every connection.
 */
export async function shutDown(bridge: RunningBridge, config: BridgeConfig, stats: LiveStats, log: Logger): Promise<void> {
  const { consumer, pipelines, committer } = bridge;
  stats.state = 'stopping';
  log.info({ timeoutMs: config.shutdownTimeoutMs }, 'stopping');
  try {
    consumer.pause([{ topic: config.topic }]);
  } catch {
    // not running yet
  }
  const timer = setTimeout(() => bridge.abort.abort(new Error('shutdown timeout')), config.shutdownTimeoutMs);
  await pipelines.idle();
  clearTimeout(timer);
  await committer.finish();
  const committed = committer.pending().length === 0;
  await consumer.disconnect().catch((error: unknown) => log.warn({ error: errorMessage(error) }, 'consumer disconnect failed'));
  await bridge.deadLetters.close().catch(() => {});
  await bridge.publisher.close().catch(() => {});
  await bridge.metricsServer?.close();
  log.info({ committed, published: undefined }, 'stopped');
}
