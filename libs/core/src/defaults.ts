/**
 * The defaults every tickerflow CLI, tool and doc page shares, declared once: with them the local
 * pipeline (tools/kafka's broker, ticker-gen, appsync-local, the bridge, sub) runs with no flags.
 * docker-compose.yml and the Dockerfile cannot import them and repeat a few as literals.
 */

/** Host and client port of the broker tools/kafka runs. */
export const LOCAL_KAFKA_HOST = 'localhost';
export const LOCAL_KAFKA_PORT = 9092;
/** Kafka bootstrap brokers (`--brokers`, `KAFKA_BROKERS`): the local broker. */
export const DEFAULT_BROKERS = `${LOCAL_KAFKA_HOST}:${LOCAL_KAFKA_PORT}`;

/** The topic quotes travel through (the reference design's name). */
export const DEFAULT_TOPIC = 'multipartition';
/** The bridge's Kafka consumer group. */
export const DEFAULT_BRIDGE_GROUP = 'tickerflow-bridge';

/** Where appsync-local listens by default. */
export const LOCAL_APPSYNC_HOST = '127.0.0.1';
export const LOCAL_APPSYNC_PORT = 4000;
/** appsync-local's GraphQL endpoint: the default `--url` of the bridge and sub. */
export const LOCAL_GRAPHQL_URL = `http://${LOCAL_APPSYNC_HOST}:${LOCAL_APPSYNC_PORT}/graphql`;
/** The fixed development key appsync-local accepts, and the default `--api-key` of its clients. */
export const LOCAL_API_KEY = 'da2-tickerflowlocaldevkey000000';

/** The reference schema's mutation that publishes a quote (the bridge's `--mutation`). */
export const DEFAULT_MUTATION = 'tickerlocal';
/** The reference schema's subscription field (sub's `--subscription-field`). */
export const DEFAULT_SUBSCRIPTION_FIELD = 'tickerlocal';

/** The bridge's Prometheus port in the container image and the examples (no metrics server unless asked). */
export const METRICS_PORT = 9464;
/** Where the bridge's metrics server listens unless told otherwise: loopback only. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';
