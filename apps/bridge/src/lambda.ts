import { readFileSync } from 'node:fs';
import { createPublisher } from '@tickerflow/appsync-client';
import { BRIDGE_DEFAULTS, createKafkaHandler, type LambdaContext } from '@tickerflow/bridge-runtime';
import { hintFor } from '@tickerflow/cli';
import { AppError } from '@tickerflow/core';
import { parseArgumentMap, type KafkaBatchResponse, type KafkaEvent } from '@tickerflow/relay';
import { LAMBDA_HINTS } from './hints';

let cached: ReturnType<typeof createKafkaHandler> | undefined;

/**
 * The Lambda entry point (`handler`), configured from the environment: APPSYNC_URL,
 * APPSYNC_API_KEY, BRIDGE_MUTATION (default tickerlocal), BRIDGE_SCHEMA (an SDL file in the
 * bundle; default: introspection), BRIDGE_MAP (e.g. symbol=ticker), BRIDGE_BATCH_SIZE (default 25).
 * Dead letters are logged (see loggingDeadLetters); pair with the mapping's on-failure destination.
 * A configuration error carries the hint naming the variable to change.
 */
export async function handler(event: KafkaEvent, context?: LambdaContext): Promise<KafkaBatchResponse> {
  try {
    cached ??= handlerFromEnvironment(process.env);
    return await cached(event, context);
  } catch (error) {
    throw withLambdaHint(error);
  }
}

function handlerFromEnvironment(env: NodeJS.ProcessEnv): ReturnType<typeof createKafkaHandler> {
  const url = env['APPSYNC_URL'];
  const apiKey = env['APPSYNC_API_KEY'];
  if (!url || !apiKey) throw new Error('set APPSYNC_URL and APPSYNC_API_KEY in the function environment');
  const map = env['BRIDGE_MAP'] ? parseArgumentMap(env['BRIDGE_MAP']) : undefined;
  return createKafkaHandler({
    publisher: createPublisher({ url, apiKey, connections: 4 }),
    mutation: env['BRIDGE_MUTATION'] ?? BRIDGE_DEFAULTS.mutation,
    ...(env['BRIDGE_SCHEMA'] ? { schema: readFileSync(env['BRIDGE_SCHEMA'], 'utf8') } : {}),
    ...(map === undefined ? {} : { map }),
    batchSize: Number(env['BRIDGE_BATCH_SIZE'] ?? BRIDGE_DEFAULTS.batchSize),
  });
}

/** Lambda reports only the message: the hint for the error's code goes into it, keeping the code. */
function withLambdaHint(error: unknown): unknown {
  const hint = hintFor(error, LAMBDA_HINTS);
  if (!(error instanceof AppError) || hint === undefined || hint === error.hint) return error;
  return new AppError(error.code, `${error.message} (hint: ${hint})`, { cause: error, retriable: error.retriable });
}
