import { createServer } from 'node:net';
import { BIND_HOST } from './config';

/**
 * A loopback port nobody listens on right now (the OS picks it). Another process
 * may take it before it is used; the runner then refuses it as PORT_IN_USE.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, BIND_HOST, resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
