import { afterEach, describe, expect, it } from 'vitest';
import { createAppSyncServer, type AppSyncServer } from '@tickerflow/appsync-server';
import { AuthError, GraphQLResponseError, TransportError } from '@tickerflow/core';
import { compileMutation } from '@tickerflow/relay';
import { RetryableHttpError, createPublisher, type HttpPublisher } from '../src/index';
import { quote } from '@tickerflow/test-support';

let server: AppSyncServer | undefined;
let publisher: HttpPublisher | undefined;

afterEach(async () => {
  await publisher?.close();
  await server?.close();
  server = undefined;
  publisher = undefined;
});


const template = compileMutation();
const batch = (quotes: readonly ReturnType<typeof quote>[]) => template.build(quotes);

async function start(options: Parameters<typeof createAppSyncServer>[0] = {}) {
  server = createAppSyncServer({ port: 0, ...options });
  return server.listen();
}

describe('publisher against appsync-local', () => {
  it('publishes a batch and gets every alias back', async () => {
    const urls = await start();
    publisher = createPublisher({ url: urls.graphqlUrl, apiKey: urls.apiKey, connections: 2 });
    const result = await publisher.publish(batch([quote('BTC', 1), quote('ETH', 1)]));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ q0: quote('BTC', 1), q1: quote('ETH', 1) });
    expect(server!.stats().mutationFields).toBe(2);
  });

  it('returns field errors for the caller to judge', async () => {
    const urls = await start();
    publisher = createPublisher({ url: urls.graphqlUrl, apiKey: urls.apiKey });
    const result = await publisher.publish({ query: 'mutation { tickerlocal(id: "x") { nope } }' });
    expect(result.data).toBeNull();
    expect(result.errors?.length).toBeGreaterThan(0);
  });

  it('maps a wrong key to AuthError', async () => {
    const urls = await start();
    publisher = createPublisher({ url: urls.graphqlUrl, apiKey: 'da2-wrongwrongwrong0000' });
    await expect(publisher.publish(batch([quote('BTC', 1)]))).rejects.toBeInstanceOf(AuthError);
  });

  it('maps a malformed body answer (400) to GraphQLResponseError with its errorType', async () => {
    const urls = await start();
    publisher = createPublisher({ url: urls.graphqlUrl, apiKey: urls.apiKey });
    const error = await publisher.publish({ query: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLResponseError);
    expect((error as GraphQLResponseError).status).toBe(400);
  });

  it('maps throttling to a retriable error carrying Retry-After', async () => {
    const urls = await start({ faults: { failRate: 1, failStatus: 429, retryAfterSeconds: 2 } });
    publisher = createPublisher({ url: urls.graphqlUrl, apiKey: urls.apiKey });
    const error = await publisher.publish(batch([quote('BTC', 1)])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableHttpError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2000, retriable: true, code: 'HTTP_THROTTLED' });
  });

  it('maps a refused connection to a retriable TransportError', async () => {
    const urls = await start();
    await server!.close();
    server = undefined;
    publisher = createPublisher({ url: urls.graphqlUrl, apiKey: urls.apiKey, timeoutMs: 2_000 });
    const error = await publisher.publish(batch([quote('BTC', 1)])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).retriable).toBe(true);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});
