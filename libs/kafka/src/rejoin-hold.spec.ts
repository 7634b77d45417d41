import { createRequire } from 'node:module';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { kafkajs } from './kafkajs';
import { holdRejoin, joinAndSyncAfterHold, rejoinHoldPatched, type ConsumerGroupLike } from './rejoin-hold';

const require = createRequire(import.meta.url);

let members = 0;
/** A ConsumerGroup as far as the hold sees it, with its own member id. */
function fakeGroup(overrides: Partial<ConsumerGroupLike> = {}) {
  const heartbeat = vi.fn(async () => {});
  const warn = vi.fn();
  members += 1;
  const group: ConsumerGroupLike = {
    groupId: 'g',
    memberId: `member-${members}`,
    generationId: 7,
    sessionTimeout: 30_000,
    rebalanceTimeout: 60_000,
    coordinator: { heartbeat },
    logger: { warn },
    ...overrides,
  };
  return { group, heartbeat, warn };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets every settled promise run its callbacks. */
const flush = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

// holdRejoin registers nothing unless kafkajs's joinAndSync is patched.
beforeAll(() => void kafkajs());
afterEach(() => vi.useRealTimers());

describe('joinAndSync with a rejoin hold', () => {
  it('waits for the hold before it joins', async () => {
    const original = vi.fn(async () => 'joined');
    const joinAndSync = joinAndSyncAfterHold(original);
    const { group } = fakeGroup();
    const hold = deferred();
    holdRejoin(group, hold.promise);
    const joining = joinAndSync.call(group);
    await flush();
    expect(original).not.toHaveBeenCalled();
    hold.resolve();
    await expect(joining).resolves.toBe('joined');
    expect(original).toHaveBeenCalledTimes(1);
    expect(original.mock.contexts[0]).toBe(group);
  });

  it('joins at once, as kafkajs does, without a hold; a hold serves one rejoin only', async () => {
    const original = vi.fn(async () => 'joined');
    const joinAndSync = joinAndSyncAfterHold(original);
    const { group } = fakeGroup();
    holdRejoin(group, Promise.resolve());
    await joinAndSync.call(group);
    const again = joinAndSync.call(group); // a retry of the same rejoin
    expect(original).toHaveBeenCalledTimes(2); // synchronously: nothing left to wait for
    await again;
  });

  it("does not wait for another member's hold, or when the member has no id yet", async () => {
    const original = vi.fn(async () => 'joined');
    const joinAndSync = joinAndSyncAfterHold(original);
    const { group } = fakeGroup();
    const other = fakeGroup().group;
    holdRejoin(other, new Promise(() => {}));
    void joinAndSync.call(group);
    void joinAndSync.call({ ...group, memberId: null });
    expect(original).toHaveBeenCalledTimes(2);
  });

  it('waits for every hold registered for the rejoin', async () => {
    const original = vi.fn(async () => 'joined');
    const joinAndSync = joinAndSyncAfterHold(original);
    const { group } = fakeGroup();
    const first = deferred();
    const second = deferred();
    holdRejoin(group, first.promise);
    holdRejoin(group, second.promise);
    const joining = joinAndSync.call(group);
    second.resolve();
    await flush();
    expect(original).not.toHaveBeenCalled();
    first.resolve();
    await joining;
    expect(original).toHaveBeenCalledTimes(1);
  });

  it('rejoins after a failed hold, with a warning', async () => {
    const original = vi.fn(async () => 'joined');
    const { group, warn } = fakeGroup();
    const hold = deferred();
    holdRejoin(group, hold.promise);
    const joining = joinAndSyncAfterHold(original).call(group);
    hold.reject(new Error('drain failed'));
    await expect(joining).resolves.toBe('joined');
    expect(warn).toHaveBeenCalledWith('The rejoin hold failed; rejoining', expect.objectContaining({ error: 'drain failed' }));
  });

  it('gives up on a hold after half the rebalance timeout, keeping the session alive meanwhile', async () => {
    vi.useFakeTimers();
    const original = vi.fn(async () => 'joined');
    const { group, heartbeat, warn } = fakeGroup({ sessionTimeout: 6_000, rebalanceTimeout: 20_000 });
    holdRejoin(group, new Promise(() => {}));
    const joining = joinAndSyncAfterHold(original).call(group);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(original).not.toHaveBeenCalled();
    // A heartbeat every third of the session timeout: 2 s, 4 s, 6 s, 8 s.
    expect(heartbeat).toHaveBeenCalledTimes(4);
    expect(heartbeat).toHaveBeenCalledWith({ groupId: 'g', memberId: group.memberId, groupGenerationId: 7 });
    await vi.advanceTimersByTimeAsync(1);
    await expect(joining).resolves.toBe('joined');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('did not settle'), expect.objectContaining({ boundMs: 10_000 }));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a heartbeat the coordinator refuses (REBALANCE_IN_PROGRESS) does not end the hold', async () => {
    vi.useFakeTimers();
    const original = vi.fn(async () => 'joined');
    const heartbeat = vi.fn(() => Promise.reject(Object.assign(new Error('rebalancing'), { type: 'REBALANCE_IN_PROGRESS' })));
    const { group } = fakeGroup({ sessionTimeout: 3_000, coordinator: { heartbeat } });
    const hold = deferred();
    holdRejoin(group, hold.promise);
    const joining = joinAndSyncAfterHold(original).call(group);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(heartbeat).toHaveBeenCalledTimes(5);
    expect(original).not.toHaveBeenCalled();
    hold.resolve();
    await joining;
    expect(original).toHaveBeenCalledTimes(1);
  });
});

describe("kafkajs's ConsumerGroup once loaded through kafkajs()", () => {
  it('joins through the hold', async () => {
    kafkajs();
    expect(rejoinHoldPatched).toBe(true);
    const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js') as { prototype: { joinAndSync(this: unknown): Promise<unknown> } };
    // The original's first step is JoinGroup through the cluster: observe when it is taken.
    const findGroupCoordinator = vi.fn(() => Promise.reject(Object.assign(new Error('stop here'), { retriable: false })));
    const { group } = fakeGroup();
    const consumerGroup = Object.assign(Object.create(ConsumerGroup.prototype) as object, group, {
      cluster: { findGroupCoordinator },
      retrier: (fn: (bail: (error: Error) => void) => Promise<void>) =>
        new Promise<void>((resolve, reject) => void fn(reject).then(resolve, reject)),
    });
    const hold = deferred();
    holdRejoin(group, hold.promise);
    const joining = ConsumerGroup.prototype.joinAndSync.call(consumerGroup);
    await flush();
    expect(findGroupCoordinator).not.toHaveBeenCalled();
    hold.resolve();
    await expect(joining).rejects.toThrow('stop here');
    expect(findGroupCoordinator).toHaveBeenCalledWith({ groupId: 'g' });
  });

  it('is patched once, however often it is loaded', () => {
    kafkajs();
    const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js') as { prototype: { joinAndSync: object } };
    const patched = ConsumerGroup.prototype.joinAndSync;
    kafkajs();
    expect(ConsumerGroup.prototype.joinAndSync).toBe(patched);
  });
});
