import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

const KEEP_ALIVE_DELAY_MS = 60_000;

/**
 * kafkajs' own socket factory plus TCP_NODELAY. kafkajs leaves Nagle's algorithm on, so a
 * small request written while an earlier one on the same connection is still unacknowledged
 * (a heartbeat or commit next to a fetch the broker is holding, a producer's requests to
 * several partitions) waits for that ACK: a millisecond normally, up to the peer's delayed-ACK
 * timer (40 ms on Linux) at worst. Every request kafkajs writes is complete, so there is
 * nothing for Nagle to coalesce. The broker sets TCP_NODELAY on its side already.
 */
export const noDelaySocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...(typeof ssl === 'object' ? ssl : {}) }, onConnect)
    : net.connect({ host, port }, onConnect);
  socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
  socket.setNoDelay(true);
  return socket;
};
