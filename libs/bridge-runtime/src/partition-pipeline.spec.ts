import { describe, expect, it } from 'vitest';
import { silentLogger, type BatchControl, type Relay, type SourceRecord } from '@tickerflow/relay';
import { createPartitionPipelines } from './partition-pipeline';

const records = (partition: number, from: number, count: number): SourceRecord[] =>
  Array.from({ length: count }, (_, i) => ({ topic: 't', partition, offset: String(from + i), key: null, value: null }));

/** A relay that holds each call until released, and reports every record handled. */
function heldRelay() {
  const calls: { offsets: string[]; control: BatchControl; release: () => void }[] = [];
  const relay: Relay = {
    relayBatch(batch, _lag, control: BatchControl) {
      return new Promise((resolve) => {
        calls.push({
          offsets: batch.map((r) => r.offset),
          control,
          release: () => {
            void control.onHandled(batch[batch.length - 1]!.offset);
            resolve({ complete: true });
          },
        });
      });
    },
  };
  return { relay, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup(queueLimit = 100) {
  const { relay, calls } = heldRelay();
  const handled: string[] = [];
  const stop = new AbortController();
  const pipelines = createPartitionPipelines({
    relay,
    stop: stop.signal,
    abort: new AbortController().signal,
    queueLimit,
    logger: silentLogger,
    onHandled: (_t, partition, offset) => void handled.push(`${partition}:${offset}`),
    onFatal: (error) => {
      throw error;
    },
  });
  return { pipelines, calls, handled, stop };
}

describe('createPartitionPipelines', () => {
  it('relays one batch at a time per partition, taking everything queued meanwhile, in order', async () => {
    const { pipelines, calls, handled } = setup();
    await pipelines.enqueue('t', 0, records(0, 0, 2), '10');
    await pipelines.enqueue('t', 0, records(0, 2, 2), '10');
    await pipelines.enqueue('t', 0, records(0, 4, 1), '10');
    expect(calls.map((c) => c.offsets)).toEqual([['0', '1']]);
    calls[0]!.release();
    await tick();
    expect(calls.map((c) => c.offsets)).toEqual([['0', '1'], ['2', '3', '4']]);
    calls[1]!.release();
    await pipelines.idle();
    expect(handled).toEqual(['0:1', '0:4']);
  });

  it('runs partitions in parallel', async () => {
    const { pipelines, calls } = setup();
    await pipelines.enqueue('t', 0, records(0, 0, 1), '1');
    await pipelines.enqueue('t', 1, records(1, 0, 1), '1');
    expect(calls).toHaveLength(2);
  });

  it('makes the consumer wait while a partition queue is full', async () => {
    const { pipelines, calls } = setup(3);
    expect(pipelines.enqueue('t', 0, records(0, 0, 1), '10')).toBeUndefined();
    let done = false;
    const wait = pipelines.enqueue('t', 0, records(0, 1, 3), '10');
    expect(wait).toBeInstanceOf(Promise);
    const full = Promise.resolve(wait).then(() => (done = true));
    await tick();
    expect(done).toBe(false);
    calls[0]!.release();
    await full;
    expect(done).toBe(true);
  });

  it('after a rebalance drops queued records and ignores what the old generation reports', async () => {
    const { pipelines, calls, handled } = setup();
    await pipelines.enqueue('t', 0, records(0, 0, 1), '10');
    await pipelines.enqueue('t', 0, records(0, 1, 1), '10');
    pipelines.reset();
    calls[0]!.release();
    await pipelines.idle();
    expect(handled).toEqual([]);
    expect(calls).toHaveLength(1);
    await pipelines.enqueue('t', 0, records(0, 0, 2), '10');
    calls[1]!.release();
    await pipelines.idle();
    expect(handled).toEqual(['0:1']);
  });

  it('starts nothing new once stopped', async () => {
    const { pipelines, calls, stop } = setup();
    await pipelines.enqueue('t', 0, records(0, 0, 1), '10');
    await pipelines.enqueue('t', 0, records(0, 1, 1), '10');
    stop.abort();
    calls[0]!.release();
    await pipelines.idle();
    expect(calls).toHaveLength(1);
    expect(pipelines.backlog).toBe(0);
  });

  it('on release lets requests in flight finish and counts their offsets, drops the queue, and takes nothing until reset', async () => {
    const { pipelines, calls, handled } = setup();
    await pipelines.enqueue('t', 0, records(0, 0, 2), '10');
    await pipelines.enqueue('t', 0, records(0, 2, 1), '10');
    await pipelines.enqueue('t', 1, records(1, 0, 1), '10');
    let released = false;
    const releasing = pipelines.release(60_000).then((outcome) => {
      released = true;
      return outcome;
    });
    expect(calls.every((c) => c.control.stop.aborted)).toBe(true);
    await tick();
    expect(released).toBe(false);
    calls[0]!.release();
    calls[1]!.release();
    expect(await releasing).toEqual({ abandoned: false });
    expect(handled).toEqual(['0:1', '1:0']);
    expect(calls).toHaveLength(2);
    expect(pipelines.enqueue('t', 0, records(0, 2, 1), '10')).toBeUndefined();
    expect(pipelines.backlog).toBe(0);
    pipelines.reset();
    await pipelines.enqueue('t', 0, records(0, 2, 1), '10');
    expect(calls.map((c) => c.offsets)).toEqual([['0', '1'], ['0'], ['2']]);
  });

  it('on release aborts a request still in flight after the timeout', async () => {
    const { pipelines, calls } = setup();
    await pipelines.enqueue('t', 0, records(0, 0, 1), '10');
    calls[0]!.control.abort.addEventListener('abort', () => calls[0]!.release());
    expect(await pipelines.release(5)).toEqual({ abandoned: true });
  });

  it('never starts a request of the new generation before the old one on the same partition settled', async () => {
    const { pipelines, calls } = setup();
    await pipelines.enqueue('t', 0, records(0, 0, 1), '10');
    pipelines.reset();
    await pipelines.enqueue('t', 0, records(0, 0, 2), '10');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.control.stop.aborted).toBe(true);
    calls[0]!.release();
    await tick();
    expect(calls.map((c) => c.offsets)).toEqual([['0'], ['0', '1']]);
    expect(calls[1]!.control.stop.aborted).toBe(false);
  });
});
