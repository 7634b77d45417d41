import { createRequire } from 'node:module';
import type * as KafkaJS from 'kafkajs';

let loaded: typeof KafkaJS | undefined;

/**
 * kafkajs, loaded on first use. It is CommonJS, so a synchronous require works and
 * createKafka stays synchronous, while `--help` and option errors never pay for
 * loading it (about 90 ms here).
 */
export function kafkajs(): typeof KafkaJS {
  loaded ??= createRequire(import.meta.url)('kafkajs') as typeof KafkaJS;
  return loaded;
}
