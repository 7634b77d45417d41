import { introspectionFromSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AuthError, ConfigError, GraphQLResponseError, TransportError } from '@tickerflow/core';
import { INTROSPECTION_REQUEST, schemaFromSdl } from './schema-field';
import { loadMutation, MutationLoadAborted } from './load-mutation';
import { REFERENCE_SDL } from './reference-schema.fixture';
import type { GraphQLRequest, GraphQLResult } from './types';

/** An API answering introspection from a script of answers (the last one repeats). */
function api(...answers: (GraphQLResult | Error)[]) {
  const requests: GraphQLRequest[] = [];
  return {
    requests,
    async publish(request: GraphQLRequest): Promise<GraphQLResult> {
      requests.push(request);
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}
const introspected = { data: introspectionFromSchema(schemaFromSdl(REFERENCE_SDL)) as unknown as Record<string, unknown> };

describe('loadMutation', () => {
  it("reads a field name's arguments by introspection", async () => {
    const publisher = api(introspected);
    const loaded = await loadMutation({ spec: 'tickerlocal' }, publisher);
    expect(loaded.from).toBe('introspection');
    expect(loaded.template.build([{ id: '0' }]).query).toContain('$id_0: ID!, $ticker_0: String!, $price_0: Float!, $matchtime_0: String');
    expect(publisher.requests).toEqual([INTROSPECTION_REQUEST]);
  });

  it('reads them from a schema file without asking the API', async () => {
    const publisher = api(new Error('must not be called'));
    const loaded = await loadMutation({ spec: 'tickerlocal', schema: { sdl: REFERENCE_SDL, source: 'schema file api.graphql' }, map: { ticker: 'symbol' } }, publisher);
    expect(loaded.from).toBe('schema file');
    expect(loaded.template.decode(Buffer.from('{"id":1,"symbol":"X","price":2}'))).toEqual({ ok: true, values: { id: '1', ticker: 'X', price: 2 } });
    expect(publisher.requests).toEqual([]);
  });

  it('uses a document as written', async () => {
    const loaded = await loadMutation({ spec: 'mutation($ticker: String!) { put(symbol: $ticker) { symbol } }' }, api(new Error('unused')));
    expect(loaded.from).toBe('document');
    expect(loaded.template.quoteRules).toBe(true);
  });

  it("assumes tickerflow's quote arguments, with a warning, when the API refuses introspection", async () => {
    const refused = api({ data: null, errors: [{ message: 'introspection is disabled' }] });
    const loaded = await loadMutation({ spec: 'tickerlocal' }, refused);
    expect(loaded.from).toBe('assumed quote arguments');
    expect(loaded.warning).toBe(
      "the API does not answer introspection (introspection is disabled): assuming tickerlocal takes tickerflow's quote fields; give the API's schema (SDL) for any other schema",
    );
    expect((await loadMutation({ spec: 'tickerlocal' }, api(new GraphQLResponseError('400 Bad Request')))).from).toBe('assumed quote arguments');
  });

  it.each([
    [
      'a map without the arguments',
      { spec: 'tickerlocal', map: { ticker: 'symbol' } },
      api({ data: {} }),
      'MUTATION_SCHEMA_NEEDED',
      "the argument map needs tickerlocal's arguments, but the API does not answer introspection (the answer holds no schema) and no schema was given",
    ],
    [
      'a map with a document',
      { spec: 'mutation { a { b } }', map: { a: 'b' } },
      api({ data: {} }),
      'ARGUMENT_MAP_WITH_DOCUMENT',
      'an argument map applies to a mutation field name; a mutation document maps in its own arguments',
    ],
    ['a field the API lacks', { spec: 'publish' }, api(introspected), 'CONFIG', "the API schema has no mutation field 'publish' (mutation fields: tickerlocal)"],
  ])('refuses %s', async (_name, options, publisher, code, message) => {
    await expect(loadMutation(options, publisher)).rejects.toThrow(ConfigError);
    await expect(loadMutation(options, publisher)).rejects.toMatchObject({ code, message });
  });

  it('throws a refused key', async () => {
    await expect(loadMutation({ spec: 'tickerlocal' }, api(new AuthError('401')))).rejects.toThrow(AuthError);
  });

  it('waits while the API is unreachable, and gives up when stopped', async () => {
    const waits: number[] = [];
    const publisher = api(new TransportError('ECONNREFUSED'), new TransportError('ECONNREFUSED'), introspected);
    const wait = { signal: new AbortController().signal, onWaiting: (_e: unknown, attempt: number) => void waits.push(attempt), sleep: async () => {} };
    expect((await loadMutation({ spec: 'tickerlocal' }, publisher, wait)).from).toBe('introspection');
    expect(waits).toEqual([0, 1]);

    const stop = new AbortController();
    const stopping = { signal: stop.signal, onWaiting: () => stop.abort(), sleep: async () => {} };
    await expect(loadMutation({ spec: 'tickerlocal' }, api(new TransportError('ECONNREFUSED')), stopping)).rejects.toThrow(MutationLoadAborted);
    await expect(loadMutation({ spec: 'tickerlocal' }, api(new TransportError('ECONNREFUSED')))).rejects.toThrow(TransportError);
  });
});
