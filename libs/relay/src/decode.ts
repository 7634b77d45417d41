import { validateQuote } from '@tickerflow/quote';
import type { DeadLetterReason, MutationValues } from './types';

export type DecodeFailure = { readonly ok: false; readonly reason: DeadLetterReason; readonly message: string };

export type DecodeResult = { readonly ok: true; readonly values: MutationValues } | DecodeFailure;

/** A record value as JSON, or why it is not: the value is missing or not JSON. */
export function parseRecordJson(value: Buffer | null): { readonly ok: true; readonly json: unknown } | DecodeFailure {
  if (value === null || value.length === 0) {
    return { ok: false, reason: 'empty-value', message: 'record has no value' };
  }
  try {
    return { ok: true, json: JSON.parse(value.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: 'not-json', message: `value is not JSON: ${(error as Error).message}` };
  }
}

/**
 * Turns a Kafka record value into a tickerflow Quote, or says why it cannot be one: the value
 * is missing, not JSON, or fails the quote validator (every bad field named).
 */
export function decodeRecordValue(value: Buffer | null): DecodeResult {
  const parsed = parseRecordJson(value);
  if (!parsed.ok) return parsed;
  const result = validateQuote(parsed.json);
  if (!result.ok) {
    return {
      ok: false,
      reason: 'invalid-quote',
      message: result.errors.map((entry) => entry.message).join('; '),
    };
  }
  return { ok: true, values: result.quote };
}
