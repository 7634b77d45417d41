import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { KafkaLogLevel, kafkaLogLevelFor, pinoLevelFor, pinoLogCreator, type KafkaDiagnostics } from './log-creator';

function capture(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe('level mapping', () => {
  it.each([
    ['silent', KafkaLogLevel.NOTHING],
    ['fatal', KafkaLogLevel.ERROR],
    ['error', KafkaLogLevel.ERROR],
    ['warn', KafkaLogLevel.WARN],
    ['info', KafkaLogLevel.INFO],
    ['debug', KafkaLogLevel.DEBUG],
    ['trace', KafkaLogLevel.DEBUG],
  ])('pino %s lets through kafkajs level %i', (pinoLevel, kafkaLevel) => {
    expect(kafkaLogLevelFor(pinoLevel)).toBe(kafkaLevel);
  });

  it.each([
    [KafkaLogLevel.ERROR, 'error'],
    [KafkaLogLevel.WARN, 'warn'],
    [KafkaLogLevel.INFO, 'info'],
    [KafkaLogLevel.DEBUG, 'debug'],
  ])('kafkajs %i logs as pino %s', (kafkaLevel, pinoLevel) => {
    expect(pinoLevelFor(kafkaLevel)).toBe(pinoLevel);
  });
});

describe('pinoLogCreator', () => {
  it('routes entries to a child logger per namespace, keeping extra fields', async () => {
    const { logger, lines } = capture();
    const diagnostics: KafkaDiagnostics = { lastProblem: undefined };
    const log = pinoLogCreator(logger.child({ component: 'kafkajs' }), diagnostics)(KafkaLogLevel.DEBUG);
    log({ namespace: 'Connection', level: KafkaLogLevel.ERROR, label: 'ERROR', log: { timestamp: 't', logger: 'kafkajs', message: 'Connection error: connect ECONNREFUSED', broker: 'x:1' } });
    log({ namespace: 'Producer', level: KafkaLogLevel.INFO, label: 'INFO', log: { timestamp: 't', logger: 'kafkajs', message: 'hello' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, component: 'kafkajs', namespace: 'Connection', broker: 'x:1', msg: 'Connection error: connect ECONNREFUSED' }),
      expect.objectContaining({ level: 30, component: 'kafkajs', namespace: 'Producer', msg: 'hello' }),
    ]);
    expect(lines[0]).not.toHaveProperty('timestamp');
    expect(diagnostics.lastProblem).toBe('Connection error: connect ECONNREFUSED');
  });

  it('logs routine kafkajs entries at debug with infoAsDebug, keeping other warnings', async () => {
    const { logger, lines } = capture('info');
    const log = pinoLogCreator(logger, undefined, { infoAsDebug: true })(KafkaLogLevel.INFO);
    log({ namespace: 'ConsumerGroup', level: KafkaLogLevel.INFO, label: 'INFO', log: { timestamp: 't', logger: 'kafkajs', message: 'Consumer has joined the group' } });
    log({ namespace: 'Runner', level: KafkaLogLevel.WARN, label: 'WARN', log: { timestamp: 't', logger: 'kafkajs', message: 'The group is rebalancing, re-joining' } });
    log({ namespace: 'Connection', level: KafkaLogLevel.WARN, label: 'WARN', log: { timestamp: 't', logger: 'kafkajs', message: 'Connection timeout' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => [line['level'], line['msg']])).toEqual([[40, 'Connection timeout']]);
  });
});
