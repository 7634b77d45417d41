import { validateQuote, type Quote } from '@tickerflow/quote';
import type { DeadLetterReason } from './types';

export type DecodeResult =
  | { readonly ok: true; readonly quote: Quote }
  | { readonly ok: false; readonly reason: DeadLetterReason; readonly message: string };

/**
 * Turns a Kafka record value into a Quote, or says why it cannot be one: the value
 * is missing, not JSON, or fails the quote validator (every bad field named).
 */
export function decodeRecordValue(value: Buffer | null): DecodeResult {
  if (value === null || value.length === 0) {
    return { ok: false, reason: 'empty-value', message: 'record has no value' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'not-json', message: `value is not JSON: ${(error as Error).message}` };
  }
  const result = validateQuote(parsed);
  if (!result.ok) {
    return {
      ok: false,
      reason: 'invalid-quote',
      message: result.errors.map((entry) => entry.message).join('; '),
    };
  }
  return { ok: true, quote: result.quote };
}
