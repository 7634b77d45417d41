import { describe, expect, it } from 'vitest';
import { buildDeadLetter, deadLetterTopic } from './dead-letter';

describe('buildDeadLetter', () => {
  it('keeps the original bytes and names the error and the source', () => {
    const value = Buffer.from([0xff, 0x00, 0x7b]);
    const key = Buffer.from('AAPL');
    const letter = buildDeadLetter(
      { topic: 'multipartition', partition: 3, offset: '12345', key, value },
      'not-json',
      'value is not JSON: Unexpected token',
      new Date('2026-11-25T02:30:00.000Z'),
    );
    expect(letter).toEqual({
      topic: 'multipartition.dlq',
      key,
      value,
      headers: {
        'x-error-code': 'not-json',
        'x-error-message': 'value is not JSON: Unexpected token',
        'x-source-topic': 'multipartition',
        'x-source-partition': '3',
        'x-source-offset': '12345',
        'x-failed-at': '2026-11-25T02:30:00.000Z',
      },
    });
    expect(letter.value).toBe(value);
  });

  it('truncates very long messages', () => {
    const letter = buildDeadLetter({ topic: 't', partition: 0, offset: '0', key: null, value: null }, 'invalid-quote', 'x'.repeat(5000));
    expect(letter.headers['x-error-message']).toHaveLength(1003);
  });

  it('names the topic <topic>.dlq', () => {
    expect(deadLetterTopic('quotes')).toBe('quotes.dlq');
  });
});
