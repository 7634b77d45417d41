import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NdjsonSink } from './ndjson-sink';

function slowWriter() {
  const chunks: string[] = [];
  const callbacks: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callbacks.push(() => callback());
    },
  });
  return { stream, chunks, release: () => callbacks.splice(0).forEach((callback) => callback()) };
}

describe('NdjsonSink', () => {
  it('writes the quote plus receivedAt, and the reconnect flag after a reconnect', async () => {
    const out = slowWriter();
    const sink = new NdjsonSink(out.stream, () => {});
    sink.writeEvent({ ticker: 'BTC', seq: 1 }, 5, 0);
    sink.writeEvent({ ticker: 'BTC', seq: 2 }, 6, 2);
    sink.writeEvent({}, 7, 0);
    sink.flush();
    out.release();
    expect(out.chunks.join('').split('\n')).toEqual([
      '{"ticker":"BTC","seq":1,"receivedAt":5}',
      '{"ticker":"BTC","seq":2,"receivedAt":6,"reconnected":true,"epoch":2}',
      '{"receivedAt":7}',
      '',
    ]);
  });

  it('signals backpressure when the reader falls behind, and relief once it drained', async () => {
    const out = slowWriter();
    const signals: boolean[] = [];
    const sink = new NdjsonSink(out.stream, () => {}, (blocked) => signals.push(blocked));
    sink.writeEvent({ ticker: 'BTC', seq: 1, padding: 'x'.repeat(64) }, 1, 0);
    sink.flush();
    expect(signals).toEqual([true]);
    sink.writeEvent({ ticker: 'BTC', seq: 2 }, 2, 0);
    sink.flush();
    expect(signals).toEqual([true]);
    out.release();
    await new Promise((resolve) => setImmediate(resolve));
    out.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(signals).toEqual([true, false]);
  });
});
