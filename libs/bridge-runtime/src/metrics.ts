import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeadLetterReason, RelayMetrics } from '@tickerflow/relay';

/** The bridge's Prometheus metrics, all prefixed `bridge_`. */
export interface BridgeMetrics extends RelayMetrics {
  readonly registry: Registry;
}

export function createBridgeMetrics(): BridgeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bridge_process_' });
  const consumed = new Counter({ name: 'bridge_quotes_consumed_total', help: 'Kafka records consumed', labelNames: ['partition'], registers: [registry] });
  const published = new Counter({ name: 'bridge_quotes_published_total', help: 'Quotes AppSync accepted', registers: [registry] });
  const retried = new Counter({ name: 'bridge_requests_retried_total', help: 'Requests retried, by error code', labelNames: ['code'], registers: [registry] });
  const failed = new Counter({ name: 'bridge_requests_failed_total', help: 'Failed request attempts, by error code', labelNames: ['code'], registers: [registry] });
  const deadLettered = new Counter({ name: 'bridge_quotes_dead_lettered_total', help: 'Records sent to the dead-letter topic, by reason', labelNames: ['reason'], registers: [registry] });
  const conflated = new Counter({ name: 'bridge_quotes_conflated_total', help: 'Quotes skipped by conflation (a later quote of the ticker was sent)', registers: [registry] });
  const batchSize = new Histogram({ name: 'bridge_batch_size', help: 'Quotes per GraphQL request', buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000], registers: [registry] });
  const publishLatency = new Histogram({
    name: 'bridge_publish_latency_seconds',
    help: 'GraphQL request round trip to AppSync',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const endToEnd = new Histogram({
    name: 'bridge_end_to_end_latency_seconds',
    help: "From the quote's ts (produced) to AppSync's acceptance",
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const unexpected = new Counter({
    name: 'bridge_unexpected_answers_total',
    help: 'Answers that accepted no quote for no reason AppSync documents as passing (retried, never dead-lettered), by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  const lag = new Gauge({ name: 'bridge_consumer_lag', help: 'Records behind the partition end', labelNames: ['partition'], registers: [registry] });

  return {
    registry,
    consumed: (partition, count) => consumed.inc({ partition: String(partition) }, count),
    published: (count) => published.inc(count),
    retried: (code) => retried.inc({ code }),
    failed: (code) => failed.inc({ code }),
    deadLettered: (reason: DeadLetterReason, count) => deadLettered.inc({ reason }, count),
    conflated: (count) => conflated.inc(count),
    batchSize: (size) => batchSize.observe(size),
    publishLatency: (seconds) => publishLatency.observe(seconds),
    endToEndLatency: (seconds) => endToEnd.observe(seconds),
    lag: (partition, value) => lag.set({ partition: String(partition) }, value),
    unexpectedAnswer: (kind) => unexpected.inc({ kind }),
  };
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves GET /metrics (Prometheus text), /healthz (alive) and /readyz (`ready()`: group joined and AppSync accepting). */
export async function startMetricsServer(
  registry: Registry,
  options: { port: number; host: string; ready: () => boolean },
): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') {
      response.writeHead(405).end();
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    } else if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const ready = options.ready();
      response.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
