import { describe, expect, it } from 'vitest';
import { renderServerProperties } from './server-properties';

/** Parses the generated text back the simple way Java would (key=value lines, # comments). */
function parse(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as const;
    });
  return new Map(entries);
}

describe('renderServerProperties', () => {
  const text = renderServerProperties({ port: 9092, controllerPort: 9093, logDirs: '/repo/.kafka/data' });
  const settings = parse(text);

  it('configures a combined broker+controller with a static KRaft quorum', () => {
    expect(settings.get('process.roles')).toBe('broker,controller');
    expect(settings.get('node.id')).toBe('1');
    expect(settings.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093');
    expect(settings.get('controller.listener.names')).toBe('CONTROLLER');
    expect(settings.has('zookeeper.connect')).toBe(false);
  });

  it('listens on loopback only and advertises localhost:<port>', () => {
    expect(settings.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(settings.get('advertised.listeners')).toBe('PLAINTEXT://localhost:9092');
    expect(settings.get('listener.security.protocol.map')).toBe('PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT');
  });

  it.each([
    ['log.dirs', '/repo/.kafka/data'],
    ['num.partitions', '3'],
    ['auto.create.topics.enable', 'false'],
    ['offsets.topic.replication.factor', '1'],
    ['transaction.state.log.replication.factor', '1'],
    ['transaction.state.log.min.isr', '1'],
    ['group.initial.rebalance.delay.ms', '0'],
    ['default.replication.factor', '1'],
  ])('sets %s=%s for a single-node test broker', (key, value) => {
    expect(settings.get(key)).toBe(value);
  });

  it('follows the configured ports', () => {
    const other = parse(renderServerProperties({ port: 19092, controllerPort: 19999, logDirs: '/tmp/k' }));
    expect(other.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19999');
    expect(other.get('controller.quorum.voters')).toBe('1@127.0.0.1:19999');
    expect(other.get('advertised.listeners')).toBe('PLAINTEXT://localhost:19092');
  });

  it('writes each key once, ending with a newline', () => {
    const keys = text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split('=')[0]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('escapes backslashes so Windows paths survive Java properties parsing', () => {
    expect(renderServerProperties({ port: 1, controllerPort: 2, logDirs: 'C:\\kafka\\data' })).toContain(
      'log.dirs=C:\\\\kafka\\\\data\n',
    );
  });
});
