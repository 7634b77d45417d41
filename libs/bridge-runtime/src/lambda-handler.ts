import { createLogger, type Logger } from '@tickerflow/cli';
import {
  createLimiter,
  createRelay,
  DEFAULT_RELAY_SETTINGS,
  loadMutation,
  noMetrics,
  relayKafkaEvent,
  type ArgumentMap,
  type DeadLetterSink,
  type Relay,
  type KafkaBatchResponse,
  type KafkaEvent,
  type Publisher,
  type RelayMetrics,
} from '@tickerflow/relay';
import { BRIDGE_DEFAULTS } from './config';

/** The part of the Lambda context the handler uses. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

export interface KafkaHandlerOptions {
  readonly publisher: Publisher;
  /** Where bad records go; default: logged at error level with their bytes (base64) and reason. */
  readonly deadLetters?: DeadLetterSink;
  readonly logger?: Logger;
  readonly metrics?: RelayMetrics;
  /** A mutation field name or document. Default `tickerlocal`. */
  readonly mutation?: string;
  /** The API's SDL text (default: the field's arguments come from introspection). */
  readonly schema?: string;
  /** Mutation argument -> record field. */
  readonly map?: ArgumentMap;
  readonly batchSize?: number;
  /** Requests in flight over all partitions of one invocation. Default 8. */
  readonly maxInFlight?: number;
  /** Stop starting requests this long before the function times out. Default 3000 ms. */
  readonly safetyMarginMs?: number;
}

/**
 * The relay core as an AWS Lambda handler for an Amazon MSK or self-managed Kafka event
 * source mapping. Partitions of the event are relayed in parallel, each in offset order,
 * in batched mutations. Enable `ReportBatchItemFailures` on the mapping: a partition that
 * cannot be finished (AppSync down past the deadline, refused key) is reported at its first
 * unhandled offset, and Lambda retries from there; records before it are not sent again.
 * The mutation's arguments are read on the first invocation (from `schema` or by introspection);
 * if the API cannot be asked then, that invocation fails and the next one asks again.
 */
export function createKafkaHandler(options: KafkaHandlerOptions): (event: KafkaEvent, context?: LambdaContext) => Promise<KafkaBatchResponse> {
  const logger = options.logger ?? createLogger({ name: 'bridge-lambda', json: true });
  const deadLetters = options.deadLetters ?? loggingDeadLetters(logger);
  const createRelayOnce = async (): Promise<Relay> => {
    const loaded = await loadMutation(
      {
        spec: options.mutation ?? BRIDGE_DEFAULTS.mutation,
        ...(options.map === undefined ? {} : { map: options.map }),
        ...(options.schema === undefined ? {} : { schema: { sdl: options.schema, source: 'schema' } }),
      },
      options.publisher,
    );
    if (loaded.warning !== undefined) logger.warn(loaded.warning);
    return createRelay(
      { ...DEFAULT_RELAY_SETTINGS, batchSize: options.batchSize ?? BRIDGE_DEFAULTS.batchSize },
      {
        publisher: options.publisher,
        template: loaded.template,
        deadLetters,
        metrics: options.metrics ?? noMetrics,
        logger: logger.child({ component: 'relay' }),
        limiter: createLimiter(options.maxInFlight ?? 8),
      },
    );
  };
  let relayPromise: Promise<Relay> | undefined;
  const margin = options.safetyMarginMs ?? 3_000;
  return async (event, context) => {
    relayPromise ??= createRelayOnce();
    const relay = await relayPromise.catch((error: unknown) => {
      relayPromise = undefined;
      throw error;
    });
    const stop = new AbortController();
    const abort = new AbortController();
    const remaining = context?.getRemainingTimeInMillis();
    const timers: NodeJS.Timeout[] = [];
    if (remaining !== undefined) {
      timers.push(setTimeout(() => stop.abort(), Math.max(0, remaining - margin)));
      timers.push(setTimeout(() => abort.abort(), Math.max(0, remaining - margin / 3)));
    }
    try {
      const response = await relayKafkaEvent(event, relay, {
        stop: stop.signal,
        abort: abort.signal,
        onPartitionError: (partition, error) => logger.error({ partition, err: error }, 'partition not finished; Lambda will retry it'),
      });
      if (response.batchItemFailures.length > 0) logger.warn({ failures: response.batchItemFailures }, 'reporting partial batch failure');
      return response;
    } finally {
      for (const timer of timers) clearTimeout(timer);
    }
  };
}

/** Dead letters as error log lines (CloudWatch): the reason headers and the original bytes, base64. */
export function loggingDeadLetters(logger: Logger): DeadLetterSink {
  return {
    async send(letters) {
      for (const letter of letters) {
        logger.error(
          { deadLetter: { topic: letter.topic, headers: letter.headers, key: letter.key?.toString('base64') ?? null, value: letter.value?.toString('base64') ?? null } },
          'dead letter',
        );
      }
    },
  };
}
