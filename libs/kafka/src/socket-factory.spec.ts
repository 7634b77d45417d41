import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toKafkaConfig } from './config';
import { noDelaySocketFactory } from './socket-factory';

describe('noDelaySocketFactory', () => {
  let server: net.Server | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('connects a plain socket with Nagle off and keep-alive on', async () => {
    server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const noDelay = vi.spyOn(net.Socket.prototype, 'setNoDelay');
    const keepAlive = vi.spyOn(net.Socket.prototype, 'setKeepAlive');

    const connected = new Promise<void>((resolve) => {
      const socket = noDelaySocketFactory({ host: '127.0.0.1', port, ssl: undefined as never, onConnect: resolve });
      socket.on('error', () => {});
      socket.on('close', () => {});
    });
    await connected;

    expect(noDelay).toHaveBeenCalledWith(true);
    expect(keepAlive).toHaveBeenCalledWith(true, 60_000);
  });

  it('is the factory every kafkajs client of ours uses', () => {
    expect(toKafkaConfig({ brokers: ['localhost:9092'], clientId: 'x', ssl: false, connectTimeoutMs: 1_000 }).socketFactory).toBe(noDelaySocketFactory);
  });
});
