import { releaseBroker, startBroker } from '@tickerflow/kafka-runner';

export interface BrokerLease {
  readonly brokers: string;
  /** Gives the lease back: stops tools/kafka's broker if this run started it and nobody else holds it. */
  release(): Promise<void>;
}

/**
 * The brokers a benchmark runs against: `brokers` when given (--brokers / KAFKA_BROKERS), else
 * tools/kafka's local broker, started if needed and leased for the run. `keep` leaves a broker
 * this run started running (TICKERFLOW_KEEP_KAFKA).
 */
export async function leaseBroker(brokers: string | undefined, options: { readonly keep: boolean }): Promise<BrokerLease> {
  if (brokers !== undefined) return { brokers, release: async () => {} };
  const started = await startBroker({ startedBy: 'test', lease: true });
  return {
    brokers: started.brokers,
    release: async () => {
      await releaseBroker({ keep: options.keep });
    },
  };
}
