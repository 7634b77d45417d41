import { KAFKA_OPTION_HINTS, KafkaErrorCode } from '@tickerflow/kafka';

/** ticker-gen's hints by error code: what to change, in its own flags. */
export const TICKER_GEN_HINTS: Readonly<Record<string, string>> = Object.freeze({
  ...KAFKA_OPTION_HINTS,
  [KafkaErrorCode.topicNotFound]: 'create it first, or drop --no-create-topic to let ticker-gen create it',
});

/** The plan line's note when the seed was generated: how to get the same stream again. */
export const repeatWithSeed = (seed: string): string => `pass --seed ${seed} to repeat this stream`;
