import { sleep } from '@tickerflow/core';

export interface TopicFound {
  readonly partitions: number;
  /** The topic did not exist at the first look: it was created after the bridge started. */
  readonly waited: boolean;
}

/**
 * The topic's partition count once it exists. The README starts the bridge before ticker-gen,
 * which creates the topic, so a missing topic is waited for (announced once through
 * `onWaiting`, then looked up every `intervalMs`) instead of ending the bridge. `lookup`
 * resolves undefined while the topic is missing and throws for anything else (unreachable
 * broker, refused credentials), which ends the wait. Undefined when `signal` aborts first.
 */
export async function waitForTopic(
  lookup: () => Promise<number | undefined>,
  options: { readonly signal: AbortSignal; readonly intervalMs: number; onWaiting(): void },
): Promise<TopicFound | undefined> {
  for (let attempt = 0; !options.signal.aborted; attempt += 1) {
    const partitions = await lookup();
    if (partitions !== undefined) return { partitions, waited: attempt > 0 };
    if (attempt === 0) options.onWaiting();
    try {
      await sleep(options.intervalMs, options.signal);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
