import { describe, expect, it } from 'vitest';
import { UsageError } from '@tickerflow/core';
import { USAGE, parseArgs } from './args';

describe('parseArgs', () => {
  it.each([
    [[], { command: 'help' }],
    [['--help'], { command: 'help' }],
    [['-h'], { command: 'help' }],
    [['help'], { command: 'help' }],
    [['start'], { command: 'start' }],
    [['start', '--help'], { command: 'help' }],
    [['stop'], { command: 'stop' }],
    [['status'], { command: 'status', json: false }],
    [['status', '--json'], { command: 'status', json: true }],
    [['logs'], { command: 'logs', follow: false, lines: undefined }],
    [['logs', '-f'], { command: 'logs', follow: true, lines: undefined }],
    [['logs', '--follow', '-n', '20'], { command: 'logs', follow: true, lines: 20 }],
    [['logs', '--lines=5'], { command: 'logs', follow: false, lines: 5 }],
  ])('parses %j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it.each([
    [['restart'], 'unknown command "restart" (expected one of: start, stop, status, logs)'],
    [['start', 'now'], 'start: unexpected argument "now"'],
    [['stop', '--force'], 'stop: unexpected argument "--force"'],
    [['status', '--yaml'], 'status: unexpected argument "--yaml"'],
    [['logs', '-n'], 'logs -n needs a positive whole number of lines, got nothing'],
    [['logs', '-n', '0'], 'logs -n needs a positive whole number of lines, got "0"'],
    [['logs', '--lines=x'], 'logs --lines needs a positive whole number of lines, got "x"'],
    [['logs', '--tail'], 'logs: unknown option "--tail" (expected -f, -n <lines>)'],
  ])('rejects %j with a UsageError', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('USAGE', () => {
  it('documents every command and env var and ends with examples', () => {
    for (const word of ['start', 'stop', 'status', 'logs', 'KAFKA_VERSION', 'KAFKA_PORT', 'KAFKA_DATA_DIR', 'Exit codes']) {
      expect(USAGE).toContain(word);
    }
    expect(USAGE.trimEnd().split('\n').at(-1)).toBe('  tools/kafka stop');
    expect(USAGE).toMatch(/Examples:\n( {2}.*tools\/kafka.*\n)+$/);
  });
});
