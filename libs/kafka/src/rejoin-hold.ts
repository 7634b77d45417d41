/**
 * kafkajs 2 has no onPartitionsRevoked: when its runner learns of a rebalance between
 * batches it emits REBALANCING and calls ConsumerGroup.joinAndSync at once, so work done
 * for the partitions it is about to give up (requests in flight, their offsets) can no
 * longer be committed. A rejoin hold closes that gap: whoever handles REBALANCING registers
 * a promise, and joinAndSync (patched on load, see kafkajs.ts) waits for it before the
 * member rejoins. Until every member has rejoined the group is PreparingRebalance, and the
 * coordinator still accepts OffsetCommit from the current generation.
 */

/** Who is about to rejoin: the payload of kafkajs's REBALANCING event. */
export interface RejoiningMember {
  readonly groupId: string;
  readonly memberId: string | null;
}

// Shared by every copy of this module in the process (a bundle and a test runner may load
// it twice), as the kafkajs prototype it patches is.
const HOLDS = Symbol.for('tickerflow.kafkajs.rejoinHolds');
const holds = ((globalThis as { [HOLDS]?: Map<string, Promise<unknown>> })[HOLDS] ??= new Map<string, Promise<unknown>>());
const PATCHED = Symbol.for('tickerflow.kafkajs.joinAndSyncAfterHold');
const keyOf = (groupId: string, memberId: string): string => `${groupId}\u0000${memberId}`;

/**
 * Makes the member's next rejoin wait for `hold` (call it from a REBALANCING listener:
 * kafkajs emits that event right before it rejoins). The wait is bounded by half the
 * group's rebalance timeout, so the member still rejoins in time if `hold` never settles;
 * a rejected hold counts as settled. Several holds for one rejoin are all waited for.
 * Without the patch in place (another kafkajs version) this does nothing.
 */
export function holdRejoin(member: RejoiningMember, hold: Promise<unknown>): void {
  if (!rejoinHoldPatched || !member.memberId) return;
  hold.catch(() => {}); // its failure is reported when the rejoin waits for it
  const key = keyOf(member.groupId, member.memberId);
  const earlier = holds.get(key);
  holds.set(key, earlier === undefined ? hold : Promise.allSettled([earlier, hold]));
}

/** The parts of kafkajs 2.2.4's ConsumerGroup that the hold uses. */
export interface ConsumerGroupLike {
  readonly groupId: string;
  readonly memberId: string | null;
  readonly generationId: number | null;
  readonly sessionTimeout: number;
  readonly rebalanceTimeout: number;
  readonly coordinator: { heartbeat(request: { groupId: string; memberId: string; groupGenerationId: number | null }): Promise<unknown> } | null;
  readonly logger: { warn(message: string, extra?: object): void };
}

/**
 * `joinAndSync` that first waits for the member's hold, if one was registered. While it
 * waits it keeps the member's session alive (a heartbeat every third of the session
 * timeout: the coordinator answers REBALANCE_IN_PROGRESS but counts it), so a hold longer
 * than the session timeout does not get the member thrown out of the group.
 */
export function joinAndSyncAfterHold<T>(original: (this: ConsumerGroupLike) => Promise<T>) {
  const joinAndSync = function joinAndSync(this: ConsumerGroupLike): Promise<T> {
    const key = this.memberId ? keyOf(this.groupId, this.memberId) : undefined;
    const hold = key === undefined ? undefined : holds.get(key);
    if (key === undefined || hold === undefined) return original.call(this);
    holds.delete(key);
    return waitForHold(this, hold).then(() => original.call(this));
  };
  return Object.assign(joinAndSync, { [PATCHED]: true });
}

async function waitForHold(group: ConsumerGroupLike, hold: Promise<unknown>): Promise<void> {
  const boundMs = Math.floor(group.rebalanceTimeout / 2);
  const keepAliveMs = Math.max(100, Math.floor(group.sessionTimeout / 3));
  const { groupId, memberId, generationId } = group;
  let timer: NodeJS.Timeout | undefined;
  const keepAlive = setInterval(() => {
    if (memberId) group.coordinator?.heartbeat({ groupId, memberId, groupGenerationId: generationId }).catch(() => {});
  }, keepAliveMs);
  try {
    const outcome = await Promise.race([
      hold.then(
        () => 'settled' as const,
        (error: unknown) => {
          group.logger.warn('The rejoin hold failed; rejoining', { groupId, memberId, error: error instanceof Error ? error.message : String(error) });
          return 'settled' as const;
        },
      ),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), boundMs))),
    ]);
    if (outcome === 'timeout') group.logger.warn('The rejoin hold did not settle within half the rebalance timeout; rejoining', { groupId, memberId, boundMs });
  } finally {
    clearTimeout(timer);
    clearInterval(keepAlive);
  }
}

/** Whether joinAndSync waits for rejoin holds (false if kafkajs is another version). */
export let rejoinHoldPatched = false;

export function patchJoinAndSync(require: NodeJS.Require): void {
  try {
    if ((require('kafkajs/package.json') as { version: string }).version !== '2.2.4') return;
    const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js') as { prototype: { joinAndSync(): Promise<unknown> } };
    const original = ConsumerGroup.prototype.joinAndSync;
    if (PATCHED in original) {
      rejoinHoldPatched = true;
      return;
    }
    ConsumerGroup.prototype.joinAndSync = joinAndSyncAfterHold(original as (this: ConsumerGroupLike) => Promise<unknown>);
    rejoinHoldPatched = true;
  } catch {
    // Layout changed: kafkajs rejoins without waiting, as published.
  }
}
