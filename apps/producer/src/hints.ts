import { KAFKA_OPTION_HINTS } from '@tickerflow/kafka';

/** ticker-gen's hints by error code: what to change, in its own flags. */
export const TICKER_GEN_HINTS: Readonly<Record<string, string>> = Object.freeze({ ...KAFKA_OPTION_HINTS });
