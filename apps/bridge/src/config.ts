import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ConfigError, DEFAULT_BRIDGE_GROUP, DEFAULT_METRICS_HOST, UsageError, parseNonNegativeInteger, parsePositiveInteger } from '@tickerflow/core';
import { addKafkaOptions, kafkaSettingsFromOptions, parseDurationMs, parseTopic, type KafkaOptionValues } from '@tickerflow/kafka';
import { compileMutation, isFieldName, parseArgumentMap, schemaFromSdl, type ArgumentMap } from '@tickerflow/relay';
import { BRIDGE_DEFAULTS, type BridgeConfig } from '@tickerflow/bridge-runtime/config';

/** Largest --batch-size: keeps one request well under AppSync's request size limit. */
export const MAX_BATCH_SIZE = 1_000;

const parsePort = (name: string) => (raw: string) => {
  const port = parseNonNegativeInteger(name, raw);
  if (port > 65_535) throw new UsageError(`${name} must be a port from 0 to 65535, got '${raw}'`);
  return port;
};

const parseBatchSize = (raw: string): number => {
  const size = parsePositiveInteger('--batch-size', raw);
  if (size > MAX_BATCH_SIZE) throw new UsageError(`--batch-size must be at most ${MAX_BATCH_SIZE}, got '${raw}'`);
  return size;
};

/**
 * Declares every setting of `run` and `check` once, with its env var and default:
 * flag > env > config file > default (the file is applied by applyConfigFile).
 */
export function addBridgeOptions<T extends Command>(command: T): T {
  addKafkaOptions(command);
  command
    .addOption(new Option('--config <file>', 'JSON file with any of these settings (camelCase keys, e.g. "batchSize")').env('BRIDGE_CONFIG'))
    .addOption(
      new Option('--topic <name>', 'Kafka topic to relay')
        .env('BRIDGE_TOPIC')
        .default(BRIDGE_DEFAULTS.topic)
        .argParser((raw: string) => parseTopic('--topic', raw)),
    )
    .addOption(new Option('--group <id>', 'Kafka consumer group').env('BRIDGE_GROUP').default(BRIDGE_DEFAULTS.group))
    .addOption(new Option('--from-beginning', 'a NEW group starts at the oldest record (default: the newest, or the oldest when the topic appears after the bridge started); an existing group resumes from its commits'))
    .addOption(new Option('--url <url>', 'AppSync GraphQL endpoint').env('APPSYNC_URL').default(BRIDGE_DEFAULTS.url))
    .addOption(
      new Option('--api-key <key>', 'AppSync API key (prefer the env var; never logged)')
        .env('APPSYNC_API_KEY')
        .default(BRIDGE_DEFAULTS.apiKey, "appsync-local's key"),
    )
    .addOption(
      new Option('--mutation <field|document>', "mutation field, whose arguments (read from the API's schema) are filled from the record fields of the same names; or a GraphQL mutation document using $<quoteField> variables")
        .env('BRIDGE_MUTATION')
        .default(BRIDGE_DEFAULTS.mutation),
    )
    .addOption(new Option('--schema <file>', "the API's schema (SDL) to read --mutation's arguments from, for APIs with introspection turned off (default: ask the API)").env('BRIDGE_SCHEMA'))
    .addOption(
      new Option('--map <argument=field,...>', 'fill arguments from other record fields, dotted paths for nested ones, e.g. symbol=ticker,last=quote.price')
        .env('BRIDGE_MAP')
        .argParser(parseArgumentMap),
    )
    .addOption(new Option('--batch-size <n>', `most quotes per GraphQL request (1-${MAX_BATCH_SIZE})`).default(BRIDGE_DEFAULTS.batchSize).argParser(parseBatchSize))
    .addOption(
      new Option('--connections <n>', 'keep-alive HTTP connections to AppSync')
        .default(BRIDGE_DEFAULTS.connections)
        .argParser((raw: string) => parsePositiveInteger('--connections', raw)),
    )
    .addOption(
      new Option('--max-in-flight <n>', 'most requests in flight over all partitions (each partition has at most one)')
        .default(BRIDGE_DEFAULTS.maxInFlight)
        .argParser((raw: string) => parsePositiveInteger('--max-in-flight', raw)),
    )
    .addOption(new Option('--conflate', 'when behind, send only the latest quote per ticker (subscribers then see seq gaps)'))
    .addOption(
      new Option('--conflate-lag <n>', 'lag (records behind) above which --conflate applies')
        .default(BRIDGE_DEFAULTS.conflateLag)
        .argParser((raw: string) => parseNonNegativeInteger('--conflate-lag', raw)),
    )
    .addOption(
      new Option('--shutdown-timeout <duration>', 'on SIGTERM/SIGINT, wait this long for requests in flight')
        .default(BRIDGE_DEFAULTS.shutdownTimeoutMs, '10s')
        .argParser((raw: string) => parseDurationMs('--shutdown-timeout', raw)),
    )
    .addOption(
      new Option('--commit-interval <duration>', 'how often accepted offsets are committed')
        .default(BRIDGE_DEFAULTS.commitIntervalMs, '500ms')
        .argParser((raw: string) => parseDurationMs('--commit-interval', raw)),
    )
    .addOption(
      new Option('--request-timeout <duration>', 'give up on one AppSync request after this long (then retry it)')
        .default(BRIDGE_DEFAULTS.requestTimeoutMs, '10s')
        .argParser((raw: string) => parseDurationMs('--request-timeout', raw)),
    )
    .addOption(
      new Option('--session-timeout <duration>', 'Kafka group session timeout: how long the partitions of a crashed bridge stay assigned (broker allows 6s-30m by default)')
        .default(BRIDGE_DEFAULTS.sessionTimeoutMs, '30s')
        .argParser((raw: string) => parseDurationMs('--session-timeout', raw)),
    )
    .addOption(
      new Option('--metrics-port <port>', 'serve /metrics, /healthz and /readyz on this port (0: any free port)')
        .env('BRIDGE_METRICS_PORT')
        .argParser(parsePort('--metrics-port')),
    )
    .addOption(new Option('--metrics-host <host>', 'address the metrics server listens on').default(DEFAULT_METRICS_HOST));
  addStatusOptions(command);
  return command;
}

/** Operator visibility: how often a non-terminal run logs its counters. */
function addStatusOptions(command: Command): void {
  command.addOption(
    new Option('--status-interval <duration>', 'when stderr is not a terminal, log one status line (relayed, rate, lag, p99, retries, dead letters, state) this often; 0 turns it off')
      .env('BRIDGE_STATUS_INTERVAL')
      .default(BRIDGE_DEFAULTS.statusIntervalMs, '30s')
      .argParser((raw: string) => (raw.trim() === '0' ? 0 : parseDurationMs('--status-interval', raw))),
  );
}

/**
 * Fills every option that came from a default (not the command line, not the env)
 * with the config file's value, parsed by the option's own parser.
 */
export function applyConfigFile(command: Command, file: string | undefined, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): void {
  if (file === undefined) return;
  let values: unknown;
  try {
    values = JSON.parse(read(file));
  } catch (error) {
    throw new ConfigError(`cannot read config file '${file}': ${(error as Error).message}`);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new ConfigError(`config file '${file}' must hold a JSON object`);
  }
  const known = new Map(command.options.map((option) => [option.attributeName(), option]));
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    const option = known.get(key);
    if (option === undefined || key === 'config') {
      throw new ConfigError(`config file '${file}': unknown setting '${key}' (known: ${[...known.keys()].filter((k) => k !== 'config').join(', ')})`);
    }
    const source = command.getOptionValueSource(key);
    if (source === 'cli' || source === 'env') continue;
    let parsed: unknown = value;
    if (option.isBoolean()) {
      if (typeof value !== 'boolean') throw new ConfigError(`config file '${file}': '${key}' must be true or false`);
    } else {
      const raw = Array.isArray(value) ? value.join(',') : String(value);
      try {
        parsed = option.parseArg ? option.parseArg(raw, undefined) : raw;
      } catch (error) {
        throw new ConfigError(`config file '${file}': ${(error as Error).message}`);
      }
    }
    command.setOptionValueWithSource(key, parsed, 'config');
  }
}

interface BridgeOptionValues extends KafkaOptionValues {
  readonly topic: string;
  readonly group: string;
  readonly fromBeginning?: boolean;
  readonly url: string;
  readonly apiKey: string;
  readonly mutation: string;
  readonly schema?: string;
  readonly map?: ArgumentMap;
  readonly batchSize: number;
  readonly connections: number;
  readonly maxInFlight: number;
  readonly conflate?: boolean;
  readonly conflateLag: number;
  readonly shutdownTimeout: number;
  readonly commitInterval: number;
  readonly requestTimeout: number;
  readonly sessionTimeout: number;
  readonly metricsPort?: number;
  readonly metricsHost: string;
  readonly statusInterval: number;
}

/** The command's options (after applyConfigFile) as a frozen BridgeConfig; throws UsageError on bad combinations. */
export function resolveConfig(command: Command): BridgeConfig {
  const options = command.opts<BridgeOptionValues>();
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got '${options.url}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be an http(s) URL, got '${options.url}'`);
  if (options.apiKey.trim() === '') throw new UsageError('--api-key (or APPSYNC_API_KEY) must not be empty');
  if (options.map !== undefined && !isFieldName(options.mutation)) {
    throw new UsageError('--map applies to a --mutation field name; a --mutation document maps in its own arguments');
  }
  if (!isFieldName(options.mutation)) compileMutation(options.mutation); // a bad document fails here, before anything connects
  const schema = options.schema === undefined ? undefined : readSchema(options.schema);
  return Object.freeze({
    kafka: kafkaSettingsFromOptions(options, DEFAULT_BRIDGE_GROUP),
    topic: options.topic,
    group: options.group,
    fromBeginning: options.fromBeginning === true,
    url: options.url,
    apiKey: options.apiKey,
    mutation: options.mutation,
    ...(schema === undefined ? {} : { schema }),
    ...(options.map === undefined ? {} : { map: options.map }),
    batchSize: options.batchSize,
    connections: options.connections,
    maxInFlight: options.maxInFlight,
    conflate: options.conflate === true,
    conflateLag: options.conflateLag,
    shutdownTimeoutMs: options.shutdownTimeout,
    commitIntervalMs: options.commitInterval,
    requestTimeoutMs: options.requestTimeout,
    sessionTimeoutMs: options.sessionTimeout,
    metricsPort: options.metricsPort,
    metricsHost: options.metricsHost,
    statusIntervalMs: options.statusInterval,
  });
}

/** Reads and parses --schema now, so a bad file fails before anything connects. */
function readSchema(file: string): { file: string; sdl: string } {
  let sdl: string;
  try {
    sdl = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read --schema '${file}': ${(error as Error).message}`);
  }
  schemaFromSdl(sdl, `--schema ${file}`);
  return { file, sdl };
}
