import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from './lambda';

afterEach(() => {
  vi.unstubAllEnvs();
});

const event = { eventSource: 'aws:kafka', records: {} };

describe('Lambda handler configuration errors', () => {
  it.each([
    [
      { BRIDGE_MAP: 'symbol' },
      'ARGUMENT_MAP_INVALID',
      "argument map: expected <argument>=<record field>[.<nested field>...], comma-separated; got 'symbol' " +
        "(hint: fix BRIDGE_MAP, e.g. BRIDGE_MAP='symbol=ticker,last=quote.price')",
    ],
    [
      { BRIDGE_MUTATION: 'query { a }' },
      'MUTATION_INVALID',
      'the mutation must hold exactly one mutation operation (and no fragments) ' +
        '(hint: set BRIDGE_MUTATION to a mutation field name, or a mutation document using $<quoteField> variables)',
    ],
  ])('name the environment variable to change: %j', async (env, code, message) => {
    vi.stubEnv('APPSYNC_URL', 'http://127.0.0.1:9/graphql');
    vi.stubEnv('APPSYNC_API_KEY', 'da2-test');
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    await expect(handler(event)).rejects.toMatchObject({ code, message });
  });
});
