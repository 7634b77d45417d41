/**
 * Holds kafkajs' eachBatch while a partition's queue is full (AppSync slow or down), sending
 * a group heartbeat every `intervalMs` so the consumer keeps its partitions meanwhile.
 * Returns when there is room or `stop` is aborted.
 */
export async function waitForRoom(
  room: Promise<void>,
  heartbeat: () => Promise<void>,
  intervalMs: number,
  stop: AbortSignal,
): Promise<void> {
  let hasRoom = false;
  void room.then(() => (hasRoom = true));
  while (!hasRoom && !stop.aborted) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([room, new Promise((resolve) => (timer = setTimeout(resolve, intervalMs)))]);
    clearTimeout(timer);
    if (!hasRoom && !stop.aborted) await heartbeat();
  }
}
