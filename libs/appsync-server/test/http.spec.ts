import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tickerMutation, type TestServer } from './harness';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await t.close();
});

describe('POST /graphql', () => {
  it('executes a mutation like a None data source: the result is the arguments', async () => {
    const answer = await t.post({ query: tickerMutation([['BTC', 1]], 'ticker seq price matchtime ts') });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.body).toEqual({ data: { q0: { ticker: 'BTC', seq: 1, price: 101.5, matchtime: '2026-11-25T02:30:00.123Z', ts: 1795574436051 } } });
  });

  it('answers the Query type with null (no data source)', async () => {
    expect((await t.post({ query: '{ getTickerdata(id: "x") { id } }' })).body).toEqual({ data: { getTickerdata: null } });
  });

  it.each([
    ['no x-api-key', {}, 'Valid authorization header not provided.'],
    ['a wrong x-api-key', { 'x-api-key': 'da2-wrong' }, 'You are not authorized to make this call.'],
  ])('answers %s with 401 UnauthorizedException', async (_name, headers, message) => {
    const answer = await t.post({ query: '{ __typename }' }, headers);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ errors: [{ errorType: 'UnauthorizedException', message }] });
  });

  it('answers an empty body with 400', async () => {
    const answer = await t.post('');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ errors: [{ errorType: 'MalformedHttpRequestException', message: 'Request body is empty.' }] });
  });

  it.each(['meow', '{}', '{}}', '[]', '{"query": 5}', '{"query":"{ __typename }","variables":[1]}'])(
    'answers a body that is not a GraphQL request (%s) with 400',
    async (body) => {
      const answer = await t.post(body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }] });
    },
  );

  it('answers a document failing validation with 200, data null and graphql-java style errors', async () => {
    const answer = await t.post({ query: '{\n  badfield\n}' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 2, column: 3, sourceName: null }],
          message: "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'",
        },
      ],
    });
  });

  it('answers a syntax error with 200, data null and an Invalid Syntax error', async () => {
    const answer = await t.post({ query: 'mutation {' });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors[0].message).toMatch(/^Invalid Syntax : .* at line 1 column 11$/);
    expect(answer.body.errors[0].locations).toEqual([{ line: 1, column: 11, sourceName: null }]);
  });

  it('answers mutation arguments of the wrong type with a validation error', async () => {
    const answer = await t.post({ query: 'mutation { tickerlocal(id: "x", ticker: "X", seq: "one", price: 1, bid: 1, ask: 1, size: 1, matchtime: "m", ts: 1) { id } }' });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors[0].message).toMatch(/^Validation error of type WrongType: Int cannot represent non-integer value: "one" @ 'tickerlocal'$/);
  });

  it('answers a missing required argument with MissingFieldArgument', async () => {
    const answer = await t.post({ query: 'mutation { tickerlocal(id: "x") { id } }' });
    expect(answer.body.errors[0].message).toBe("Validation error of type MissingFieldArgument: Missing field argument ticker @ 'tickerlocal'");
  });

  it('answers variables that do not coerce with data null and an error', async () => {
    const query = 'mutation M($seq: Int!) { tickerlocal(id: "x", ticker: "X", seq: $seq, price: 1, bid: 1, ask: 1, size: 1, matchtime: "m", ts: 1) { id } }';
    const missing = await t.post({ query, variables: {} });
    expect(missing.status).toBe(200);
    expect(missing.body.data).toBeNull();
    expect(missing.body.errors[0].message).toContain('$seq');
    const wrong = await t.post({ query, variables: { seq: 'x' } });
    expect(wrong.body.data).toBeNull();
    expect(wrong.body.errors[0].message).toContain('$seq');
  });

  it('answers a body over the limit with 413', async () => {
    const answer = await t.post({ query: `{ __typename } # ${'x'.repeat(70 * 1024)}` });
    expect(answer.status).toBe(413);
    expect(answer.body.errors[0].errorType).toBe('PayloadTooLargeException');
  });

  it('keeps serving after every bad request above', async () => {
    expect((await t.post({ query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves GET /healthz', async () => {
    const response = await fetch(t.urls.graphqlUrl.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', connections: expect.any(Number) });
  });
});

describe('fault injection', () => {
  it('fails every mutation request with 429 and Retry-After at --fail-rate 1, but not queries', async () => {
    const faulty = await startTestServer({ faults: { failRate: 1, failStatus: 429, retryAfterSeconds: 3 } });
    try {
      const answer = await faulty.post({ query: tickerMutation([['X', 1]]) });
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('3');
      expect(answer.body.errors[0].errorType).toBe('TooManyRequestsException');
      expect((await faulty.post({ query: '{ __typename }' })).status).toBe(200);
    } finally {
      await faulty.close();
    }
  });

  it('fails the same requests for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const faulty = await startTestServer({ faults: { failRate: 0.5, failStatus: 500, seed: 42 } });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i += 1) statuses.push((await faulty.post({ query: tickerMutation([['X', i + 1]]) })).status);
        return statuses;
      } finally {
        await faulty.close();
      }
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('delays mutation requests by --latency', async () => {
    const slow = await startTestServer({ faults: { latencyMs: 150 } });
    try {
      const started = Date.now();
      expect((await slow.post({ query: tickerMutation([['X', 1]]) })).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await slow.close();
    }
  });
});

describe('keep-alive', () => {
  /** The `connection` header of one request, sent with Node's http client (fetch hides it). */
  const connectionHeader = (method: string, path: string): Promise<string | undefined> =>
    new Promise((resolve, reject) => {
      const agent = new Agent({ keepAlive: true });
      const request = httpRequest(new URL(path, t.urls.graphqlUrl), { method, agent }, (response) => {
        agent.destroy();
        response.resume();
        resolve(response.headers.connection);
      });
      request.on('error', reject);
      request.end();
    });

  it.each([
    ['GET', '/healthz'],
    ['GET', '/nope'],
    ['GET', '/graphql'],
    ['OPTIONS', '/graphql'],
  ])('keeps the connection of a bodyless %s %s open: only an unread body closes it', async (method, path) => {
    expect(await connectionHeader(method, path)).not.toBe('close');
  });
});
