import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers a mutation: a fixed HTTP answer, or AppSync's (data for every alias). */
export type FakeMode = { readonly status: number; readonly contentType: string; readonly body: string } | 'accept';

export interface FakeGraphQL {
  readonly url: string;
  /** Mutation requests received so far. */
  readonly mutations: number;
  /** The quote ids seen in mutation requests. */
  readonly ids: ReadonlySet<string>;
  setMode(mode: FakeMode): void;
  close(): Promise<void>;
}

/** `{"data":null}` with status 200: what a proxy, a gateway or a schema returning null may answer. */
export const DATA_NULL: FakeMode = { status: 200, contentType: 'application/json', body: '{"data":null}' };

/**
 * A GraphQL endpoint on 127.0.0.1, port 0, for what appsync-local never answers. Queries of
 * `__typename` (the bridge's probes) get `{"data":{"__typename":"Query"}}` unless `probes`
 * is set too; mutations get `mode`.
 */
export async function startFakeGraphQL(mode: FakeMode, options: { probes?: FakeMode } = {}): Promise<FakeGraphQL> {
  let current = mode;
  let mutations = 0;
  const ids = new Set<string>();
  const server: Server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      const body = JSON.parse(text) as { query: string; operationName?: string; variables?: Record<string, unknown> };
      const probe = body.operationName === 'BridgeKeyCheck' || body.operationName === 'BridgeProbe';
      if (!probe) {
        mutations += 1;
        for (const [name, value] of Object.entries(body.variables ?? {})) if (name.startsWith('id_')) ids.add(String(value));
      }
      const answer = probe ? (options.probes ?? { status: 200, contentType: 'application/json', body: '{"data":{"__typename":"Query"}}' }) : current;
      if (answer === 'accept') {
        const data: Record<string, unknown> = {};
        for (const match of body.query.matchAll(/\b(q\d+):/g)) data[match[1] as string] = { id: body.variables?.[`id_${match[1]!.slice(1)}`] };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      } else {
        response.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    get mutations() {
      return mutations;
    },
    ids,
    setMode(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A TCP port that was free a moment ago (for a server whose port the test must know before it reports it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
