import { Socket } from 'node:net';

/** True when something accepts TCP connections at host:port within `timeoutMs`. */
export function tcpPortOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

/**
 * One kafkajs admin metadata request (describeCluster) against `brokers`,
 * without retries: resolves true when a Kafka broker answered. kafkajs is
 * imported lazily so `tools/kafka --help` and `status` of a stopped broker stay fast.
 */
export async function kafkaAnswers(brokers: string, timeoutMs = 3000): Promise<boolean> {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({
    clientId: 'tickerflow-kafka-runner',
    brokers: [brokers],
    connectionTimeout: Math.min(timeoutMs, 2000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const attempt = (async () => {
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    }
  })();
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}
