import { AppError } from '@tickerflow/core';
import { decodeQuote } from '@tickerflow/quote';
import type { QuoteMessage } from './produce';

/** Consecutive seqs of one ticker that never reached Kafka. */
export interface UnsentRange {
  readonly ticker: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The run stopped with quotes made but never acknowledged by Kafka. The message
 * names each ticker's missing seq range, so a gap the subscriber counts can be
 * told apart from one the pipeline made; `cause` says why sending stopped.
 */
export class QuotesNotSentError extends AppError {
  readonly unsent: readonly UnsentRange[];
  readonly quotes: number;

  constructor(unsent: readonly UnsentRange[], cause: AppError) {
    const quotes = unsent.reduce((sum, range) => sum + range.to - range.from + 1, 0);
    super('QUOTES_NOT_SENT', `${cause.message}; ${quotes} quotes never reached Kafka: ${describeUnsent(unsent)}`, {
      cause,
      hint: cause.hint,
    });
    this.unsent = unsent;
    this.quotes = quotes;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), quotes: this.quotes, unsent: this.unsent };
  }
}

/** Per ticker (in first-seen order), the seqs of `batches` merged into ranges of consecutive seqs. */
export function unsentRanges(batches: readonly (readonly QuoteMessage[])[]): UnsentRange[] {
  const seqs = new Map<string, number[]>();
  for (const batch of batches) {
    for (const message of batch) {
      const { ticker, seq } = decodeQuote(message.value);
      const list = seqs.get(ticker) ?? [];
      list.push(seq);
      seqs.set(ticker, list);
    }
  }
  const ranges: UnsentRange[] = [];
  for (const [ticker, list] of seqs) {
    list.sort((a, b) => a - b);
    let from = list[0] as number;
    let to = from;
    for (const seq of list.slice(1)) {
      if (seq <= to) continue; // the same quote twice
      if (seq === to + 1) {
        to = seq;
        continue;
      }
      ranges.push({ ticker, from, to });
      from = to = seq;
    }
    ranges.push({ ticker, from, to });
  }
  return ranges;
}

/** `BTC seq 11-20, ETH seq 9`. */
export function describeUnsent(unsent: readonly UnsentRange[]): string {
  return unsent.map(({ ticker, from, to }) => `${ticker} seq ${from === to ? from : `${from}-${to}`}`).join(', ');
}
