import { describe, expect, it, vi } from 'vitest';
import { compileFieldMutation } from './field-mutation';
import { createLimiter } from './limiter';
import { createRelay, DEFAULT_RELAY_SETTINGS, type RelaySettings } from './relay';
import { REFERENCE_RECORD, REFERENCE_SDL } from './reference-schema.fixture';
import { acceptAll } from './test-helpers';
import { mutationField, schemaFromSdl } from './schema-field';
import { noMetrics, silentLogger, type DeadLetterRecord, type GraphQLRequest, type RelayMetrics, type SourceRecord } from './types';

/** Records of the reference design's shape: no Kafka key, no seq, no ts. */
function keyless(values: readonly unknown[]): SourceRecord[] {
  return values.map((value, index) => ({ topic: 't', partition: 0, offset: String(index), key: null, value: Buffer.from(JSON.stringify(value)) }));
}

function setup(settings: Partial<RelaySettings> = {}, metrics: Partial<RelayMetrics> = {}) {
  const sent: string[][] = [];
  const letters: DeadLetterRecord[] = [];
  const handled: string[] = [];
  const accepted: unknown[] = [];
  const publisher = {
    async publish(request: GraphQLRequest) {
      const variables = request.variables ?? {};
      const ids: string[] = [];
      for (let index = 0; `id_${index}` in variables; index += 1) ids.push(`${String(variables[`ticker_${index}`])}#${String(variables[`id_${index}`])}`);
      sent.push(ids);
      return acceptAll(request);
    },
  };
  const relay = createRelay(
    { ...DEFAULT_RELAY_SETTINGS, ...settings },
    {
      publisher,
      template: compileFieldMutation(mutationField(schemaFromSdl(REFERENCE_SDL), 'tickerlocal')),
      deadLetters: { send: async (batch) => void letters.push(...batch) },
      metrics: { ...noMetrics, ...metrics },
      logger: silentLogger,
      limiter: createLimiter(2),
      onAccepted: (values) => void accepted.push(...values),
    },
  );
  const control = { stop: new AbortController().signal, abort: new AbortController().signal, onHandled: (o: string) => void handled.push(o) };
  return { relay, sent, letters, handled, accepted, control };
}

describe('relayBatch with a schema field', () => {
  it('relays keyless records without seq or ts in partition order; no latency to report', async () => {
    const endToEndLatency = vi.fn();
    const published = vi.fn();
    const { relay, sent, accepted, handled, control } = setup({ batchSize: 2 }, { endToEndLatency, published });
    const batch = keyless([0, 1, 2].map((id) => ({ ...REFERENCE_RECORD, id, ticker: id === 1 ? 'ETH' : 'BTC' })));
    expect(await relay.relayBatch(batch, 0, control)).toEqual({ complete: true });
    expect(sent).toEqual([['BTC#0', 'ETH#1'], ['BTC#2']]);
    expect(accepted[0]).toEqual({ id: '0', ticker: 'BTC', price: REFERENCE_RECORD.price, matchtime: REFERENCE_RECORD.matchtime });
    expect(handled).toEqual(['1', '2']);
    expect(published).toHaveBeenCalledTimes(2);
    expect(endToEndLatency).not.toHaveBeenCalled();
  });

  it('dead-letters a record missing a required argument as invalid-record, naming the field', async () => {
    const deadLettered = vi.fn();
    const { relay, sent, letters, control } = setup({}, { deadLettered });
    const { price: _price, ...noPrice } = REFERENCE_RECORD;
    await relay.relayBatch(keyless([REFERENCE_RECORD, noPrice, { ...REFERENCE_RECORD, id: 2 }]), 0, control);
    expect(sent).toEqual([['BTC#0', 'BTC#2']]);
    expect(letters.map((l) => [l.headers['x-source-offset'], l.headers['x-error-code'], l.headers['x-error-message']])).toEqual([
      ['1', 'invalid-record', 'price: required (Float!) but missing'],
    ]);
    expect(letters[0]?.key).toBeNull();
    expect(deadLettered).toHaveBeenCalledWith('invalid-record', 1);
  });

  it('conflates to the latest record per ticker value, though records carry no Kafka key', async () => {
    const { relay, sent, control } = setup({ conflate: true, conflateLag: 0 });
    await relay.relayBatch(keyless([0, 1, 2, 3].map((id) => ({ ...REFERENCE_RECORD, id }))), 10, control);
    expect(sent).toEqual([['BTC#3']]);
  });
});
