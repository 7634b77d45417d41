// What the bridge's CLI needs before it runs anything (defaults, the config type, error codes),
// exported alone as '@tickerflow/bridge-runtime/config' so that --help and usage errors do not
// load the runtime (kafkajs consumer, prom-client, undici, ...).
import { DEFAULT_BRIDGE_GROUP, DEFAULT_MUTATION, DEFAULT_TOPIC, LOCAL_API_KEY, LOCAL_GRAPHQL_URL } from '@tickerflow/core';
import { describeKafkaSettings, type KafkaSettings } from '@tickerflow/kafka';
import type { ArgumentMap, MutationOptions } from '@tickerflow/relay';

/** Stable codes of the probes' errors; the bridge maps them to hints naming its flags. */
export const ProbeErrorCode = Object.freeze({
  /** AppSync refused the mutation document at the startup probe: it does not fit the API's schema. */
  mutationNotAccepted: 'MUTATION_NOT_ACCEPTED',
} as const);

/** Defaults of the bridge's own settings. */
export const BRIDGE_DEFAULTS = Object.freeze({
  topic: DEFAULT_TOPIC,
  group: DEFAULT_BRIDGE_GROUP,
  url: LOCAL_GRAPHQL_URL,
  apiKey: LOCAL_API_KEY,
  mutation: DEFAULT_MUTATION,
  batchSize: 25,
  connections: 8,
  maxInFlight: 16,
  conflateLag: 10_000,
  shutdownTimeoutMs: 10_000,
  commitIntervalMs: 500,
  requestTimeoutMs: 10_000,
  sessionTimeoutMs: 30_000,
  statusIntervalMs: 30_000,
});

/** Everything `bridge run` and `bridge check` need, validated and frozen before anything connects. */
export interface BridgeConfig {
  readonly kafka: KafkaSettings;
  readonly topic: string;
  readonly group: string;
  readonly fromBeginning: boolean;
  readonly url: string;
  /** Never logged: use describeConfig(). */
  readonly apiKey: string;
  readonly mutation: string;
  /** The API's SDL, read and parsed at startup (absent: introspection). */
  readonly schema?: { readonly file: string; readonly sdl: string };
  /** Mutation argument -> record field (dotted path). */
  readonly map?: ArgumentMap;
  readonly batchSize: number;
  readonly connections: number;
  readonly maxInFlight: number;
  readonly conflate: boolean;
  readonly conflateLag: number;
  readonly shutdownTimeoutMs: number;
  readonly commitIntervalMs: number;
  readonly requestTimeoutMs: number;
  /** Kafka group session timeout: how long a crashed bridge holds its partitions. */
  readonly sessionTimeoutMs: number;
  /** undefined: no metrics server. 0: any free port. */
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  /** Off a terminal: one `status` log line this often (0 or undefined: none). On a terminal a live line instead. */
  readonly statusIntervalMs?: number;
}

/** The config as it may be logged: no API key, no SASL password, the schema file's name only. */
export function describeConfig(config: BridgeConfig): Record<string, unknown> {
  const { apiKey: _apiKey, kafka, schema, ...rest } = config;
  return { ...rest, ...(schema === undefined ? {} : { schema: schema.file }), kafka: describeKafkaSettings(kafka) };
}

/** What loadMutation needs from the config. */
export function mutationOptions(config: BridgeConfig): MutationOptions {
  return {
    spec: config.mutation,
    ...(config.map === undefined ? {} : { map: config.map }),
    ...(config.schema === undefined ? {} : { schema: { sdl: config.schema.sdl, source: `schema file ${config.schema.file}` } }),
  };
}
