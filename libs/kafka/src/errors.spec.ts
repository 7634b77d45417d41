import { describe, expect, it } from 'vitest';
import { AuthError, TransportError, UsageError } from '@tickerflow/core';
import { isRebalanceError, toKafkaAppError, unreachableError } from './errors';
import type { KafkaSettings } from './settings';

const settings: KafkaSettings = {
  brokers: ['127.0.0.1:1'],
  clientId: 't',
  ssl: false,
  connectTimeoutMs: 2_000,
  sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'pw' },
};

function kafkaError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('toKafkaAppError', () => {
  it('turns a refused SASL login into an AuthError naming the user but not the password', () => {
    const error = toKafkaAppError(kafkaError('KafkaJSSASLAuthenticationError', 'SASL SCRAM SHA512 authentication failed'), settings);
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe("Kafka refused access (scram-sha-512 as 'alice'): SASL SCRAM SHA512 authentication failed");
    expect(error.message).not.toContain('pw');
  });

  it('finds a connection error under a retries-exceeded wrapper', () => {
    const inner = kafkaError('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:1');
    const outer = kafkaError('KafkaJSNumberOfRetriesExceeded', inner.message, { cause: inner });
    const error = toKafkaAppError(outer, settings);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'KAFKA_UNREACHABLE', message: 'cannot reach Kafka at 127.0.0.1:1: Connection error: connect ECONNREFUSED 127.0.0.1:1' });
  });

  it('maps ACL refusals to AuthError', () => {
    const error = toKafkaAppError(kafkaError('KafkaJSProtocolError', 'Not authorized to access topics', { type: 'TOPIC_AUTHORIZATION_FAILED', retriable: false }), settings);
    expect(error).toBeInstanceOf(AuthError);
  });

  it('keeps kafkajs retriable for anything else', () => {
    const error = toKafkaAppError(kafkaError('KafkaJSProtocolError', 'The request included a message larger than the max', { retriable: false }), settings);
    expect(error).toMatchObject({ code: 'KAFKA', retriable: false, message: 'Kafka: The request included a message larger than the max' });
  });

  it('passes AppErrors through', () => {
    const usage = new UsageError('x');
    expect(toKafkaAppError(usage, settings)).toBe(usage);
  });
});

describe('unreachableError', () => {
  it('says how long it tried and what went wrong last', () => {
    expect(unreachableError(settings, 'connect ECONNREFUSED', { timedOut: true }).message).toBe(
      'cannot reach Kafka at 127.0.0.1:1 within 2s: connect ECONNREFUSED',
    );
  });
});

describe('isRebalanceError', () => {
  it.each([
    [{ type: 'REBALANCE_IN_PROGRESS' }, true],
    [{ type: 'ILLEGAL_GENERATION' }, true],
    [{ type: 'NOT_COORDINATOR_FOR_GROUP' }, true],
    [{ type: 'UNKNOWN_MEMBER_ID' }, false],
    [new Error('x'), false],
    [null, false],
  ])('%o -> %s', (error, expected) => {
    expect(isRebalanceError(error)).toBe(expected);
  });
});
