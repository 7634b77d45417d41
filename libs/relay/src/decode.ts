import { readQuote } from '@tickerflow/quote';
import type { DeadLetterReason, MutationValues } from './types';

export type DecodeFailure = { readonly ok: false; readonly reason: DeadLetterReason; readonly message: string };

export type DecodeResult = { readonly ok: true; readonly values: MutationValues } | DecodeFailure;

const NO_VALUE: DecodeFailure = { ok: false, reason: 'empty-value', message: 'record has no value' };
const notJson = (detail: string): DecodeFailure => ({ ok: false, reason: 'not-json', message: `value is not JSON: ${detail}` });

/** A record value as JSON, or why it is not: the value is missing or not JSON. */
export function parseRecordJson(value: Buffer | null): { readonly ok: true; readonly json: unknown } | DecodeFailure {
  if (value === null || value.length === 0) return NO_VALUE;
  try {
    return { ok: true, json: JSON.parse(value.toString('utf8')) };
  } catch (error) {
    return notJson((error as Error).message);
  }
}

/**
 * Turns a Kafka record value into a tickerflow Quote, or says why it cannot be one: the value
 * is missing, not JSON, or fails the quote validator (every bad field named): quote's readQuote.
 */
export function decodeRecordValue(value: Buffer | null): DecodeResult {
  if (value === null || value.length === 0) return NO_VALUE;
  const result = readQuote(value);
  if (result.ok) return { ok: true, values: result.quote };
  return result.reason === 'not-json' ? notJson(result.detail) : { ok: false, reason: 'invalid-quote', message: result.detail };
}
