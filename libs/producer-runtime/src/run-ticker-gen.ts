import type { Logger } from 'pino';
import { AppError, errorMessage } from '@tickerflow/core';
import {
  connectWithin,
  createKafka,
  describeKafkaSettings,
  ensureTopic,
  toKafkaAppError,
  type TopicInfo,
} from '@tickerflow/kafka';
import { createPriceModel } from '@tickerflow/quote';
import type { TickerGenConfig } from './config';
import { produceQuotes, type ProduceStats, type ProduceSummary } from './produce';
import { createSendBatch, partitionOfTicker, producerConfig } from './sender';
import { createLogProgress, createTerminalStatus, type ProgressReporter } from './status';

export interface RunContext {
  readonly logger: Logger;
  /** Aborted on Ctrl-C / SIGTERM: stop producing, flush, exit 0. */
  readonly signal: AbortSignal;
  /** Where the status line goes (stderr). */
  readonly statusStream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where --json writes the summary (stdout). */
  readonly stdout: NodeJS.WritableStream;
  /** How to repeat a stream whose seed was generated, in the app's own flags (e.g. `pass --seed 42 ...`). */
  readonly repeatHint?: (seed: string) => string;
}

/**
 * Connects, makes sure the topic exists, publishes until done or interrupted, and
 * reports. kafkajs's own log lines stay quiet unless --verbose: failures are
 * reported once, by the caller, as one line.
 */
export async function runTickerGen(config: TickerGenConfig, context: RunContext): Promise<ProduceSummary | undefined> {
  const { logger, signal } = context;
  const kafkaLogger = logger.child({ component: 'kafkajs' }, { level: config.verbose ? 'debug' : 'silent' });
  const kafka = createKafka(config.kafka, kafkaLogger);
  logger.debug({ kafka: describeKafkaSettings(config.kafka) }, 'connecting');

  const admin = kafka.admin();
  let topicInfo: TopicInfo | typeof ABORTED;
  try {
    if ((await untilAborted(connectWithin(kafka, admin), signal)) === ABORTED) return undefined;
    topicInfo = await untilAborted(
      ensureTopic(admin, config.kafka, {
        topic: config.topic,
        partitions: config.partitions,
        create: config.createTopic,
      }),
      signal,
    );
    if (topicInfo === ABORTED) return undefined;
  } finally {
    await admin.disconnect().catch(() => {});
  }
  const human = context.statusStream.isTTY === true && !config.json;
  /** On a terminal the message says it all; in JSON the fields carry it. */
  const note = (fields: Record<string, unknown>, message: string): void => {
    if (human) logger.info(message);
    else logger.info(fields, message);
  };
  const topicFields = { topic: config.topic, partitions: topicInfo.partitions };
  if (topicInfo.created) note(topicFields, `created topic ${config.topic} with ${topicInfo.partitions} partitions`);
  else if (topicInfo.partitions !== config.partitions) {
    note(topicFields, `topic ${config.topic} exists with ${topicInfo.partitions} partitions: left as is`);
  }

  const producer = kafka.producer(producerConfig());
  try {
    if ((await untilAborted(connectWithin(kafka, producer), signal)) === ABORTED) return undefined;

    const model = createPriceModel({ seed: config.seed, tickers: config.tickers });
    const plan = {
      topic: config.topic,
      partitions: topicInfo.partitions,
      brokers: config.kafka.brokers,
      rate: config.rate === 0 ? 'max' : config.rate,
      count: config.count ?? 'until Ctrl-C',
      tickers: config.tickers,
      seed: config.seed,
      acks: config.acks,
    };
    const repeat = config.seedGenerated && context.repeatHint ? ` (${context.repeatHint(config.seed)})` : '';
    if (human) {
      const pace = config.rate === 0 ? 'as fast as possible' : `${config.rate}/s`;
      const until = config.count === undefined ? 'until Ctrl-C' : `${config.count} quotes`;
      logger.info(
        `publishing ${config.tickers.length} tickers to ${config.topic} (${topicInfo.partitions} partitions) on ` +
          `${config.kafka.brokers.join(',')}, ${pace}, ${until}, seed ${config.seed}${repeat}`,
      );
    } else {
      logger.info(plan, `publishing quotes${repeat}`);
    }

    const reporter: ProgressReporter =
      context.statusStream.isTTY === true && !config.json
        ? createTerminalStatus(context.statusStream)
        : createLogProgress(logger);
    let stats: Readonly<ProduceStats> | undefined;
    let summary: ProduceSummary;
    try {
      summary = await produceQuotes({
        model,
        count: config.count,
        rate: config.rate,
        batchSize: config.batchSize,
        maxInFlight: config.maxInFlight,
        signal,
        send: createSendBatch(producer, config),
        partitionOf: partitionOfTicker(config.topic, topicInfo.partitions),
        toError: (error) => toKafkaAppError(error, config.kafka),
        onBatchError: (error, quotes, retrying) =>
          reporter.around(() =>
            logger.warn(
              { quotes, retrying, code: error.code, err: error },
              `batch of ${quotes} quotes failed${retrying ? ', sending it again' : ''}: ${errorMessage(error)}`,
            ),
          ),
        onStart: (live) => {
          stats = live;
          reporter.start(live);
        },
      });
    } catch (error) {
      reporter.stop();
      if (stats) logger.info({ sent: stats.sent, errors: stats.errors, retries: stats.retries }, 'stopped');
      throw error;
    }
    reporter.stop();
    const result = {
      topic: config.topic,
      sent: summary.sent,
      errors: summary.errors,
      retries: summary.retries,
      bytes: summary.bytes,
      elapsedMs: summary.elapsedMs,
      quotesPerSecond: summary.quotesPerSecond,
      bytesPerSecond: summary.bytesPerSecond,
      interrupted: summary.interrupted,
    };
    const outcome = summary.interrupted ? 'interrupted: flushed and stopped' : 'done';
    if (human) {
      logger.info(
        `${outcome}: ${result.sent.toLocaleString('en-US')} quotes (${(result.bytes / 1e6).toFixed(1)} MB) in ` +
          `${(result.elapsedMs / 1000).toFixed(1)} s, ${result.quotesPerSecond.toLocaleString('en-US')}/s, ${result.retries} retries`,
      );
    } else {
      logger.info(result, outcome);
    }
    if (config.json) context.stdout.write(`${JSON.stringify({ type: 'summary', ...result })}\n`);
    return summary;
  } finally {
    await producer.disconnect().catch(() => {});
  }
}

const ABORTED = Symbol('aborted');

/** Resolves with the promise's value, or ABORTED as soon as the signal aborts. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) {
    promise.catch(() => {});
    return ABORTED;
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } catch (error) {
    throw error instanceof AppError ? error : new Error(errorMessage(error), { cause: error });
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    promise.catch(() => {});
  }
}
