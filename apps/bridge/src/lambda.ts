import { readFileSync } from 'node:fs';
import { createPublisher } from '@tickerflow/appsync-client';
import { BRIDGE_DEFAULTS, createKafkaHandler, type LambdaContext } from '@tickerflow/bridge-runtime';
import { parseArgumentMap, type KafkaBatchResponse, type KafkaEvent } from '@tickerflow/relay';

let cached: ReturnType<typeof createKafkaHandler> | undefined;

/**
 * The Lambda entry point (`handler`), configured from the environment: APPSYNC_URL,
 * APPSYNC_API_KEY, BRIDGE_MUTATION (default tickerlocal), BRIDGE_SCHEMA (an SDL file in the
 * bundle; default: introspection), BRIDGE_MAP (e.g. symbol=ticker), BRIDGE_BATCH_SIZE (default 25).
 * Dead letters are logged (see loggingDeadLetters); pair with the mapping's on-failure destination.
 */
export async function handler(event: KafkaEvent, context?: LambdaContext): Promise<KafkaBatchResponse> {
  if (cached === undefined) {
    const env = process.env;
    const url = env['APPSYNC_URL'];
    const apiKey = env['APPSYNC_API_KEY'];
    if (!url || !apiKey) throw new Error('set APPSYNC_URL and APPSYNC_API_KEY in the function environment');
    cached = createKafkaHandler({
      publisher: createPublisher({ url, apiKey, connections: 4 }),
      mutation: env['BRIDGE_MUTATION'] ?? BRIDGE_DEFAULTS.mutation,
      ...(env['BRIDGE_SCHEMA'] ? { schema: readFileSync(env['BRIDGE_SCHEMA'], 'utf8') } : {}),
      ...(env['BRIDGE_MAP'] ? { map: parseArgumentMap(env['BRIDGE_MAP']) } : {}),
      batchSize: Number(env['BRIDGE_BATCH_SIZE'] ?? BRIDGE_DEFAULTS.batchSize),
    });
  }
  return cached(event, context);
}
