/**
 * A silence deadline that only counts time the client was reading: it expires once
 * `timeoutMs` pass without `feed()`, but never while paused, and a resume starts a fresh
 * window. While the client does not read its socket (stdout is blocked), keep-alives and
 * acks wait unread in the kernel, so their absence says nothing about the server.
 *
 * The same holds when the whole event loop was frozen (stdout to a full pipe blocks writes
 * synchronously on Linux): the overdue timer then runs before the socket is read, so an
 * expiry is only confirmed after one more turn of I/O has had the chance to `feed()` it.
 */
export interface PausableDeadline {
  /** Something arrived: the silence starts again. Costs one clock read, no timer work. */
  feed(): void;
  /** Stops counting (the socket is not being read). */
  pause(): void;
  /** Counts again from now: frames that queued while paused are read after this. */
  resume(): void;
  /** Disarms for good. */
  cancel(): void;
  readonly paused: boolean;
}

/**
 * Arms a deadline; `onExpired` runs once with the silence that elapsed, in ms.
 * Starts paused when `paused` is true (a subscription started while output is blocked).
 */
export function createPausableDeadline(timeoutMs: number, onExpired: (silentMs: number) => void, paused = false): PausableDeadline {
  let since = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let isPaused = paused;
  let done = false;

  const arm = (delayMs: number): void => {
    timer = setTimeout(check, delayMs);
  };
  // Feeding only moves `since`; the timer re-arms itself for the rest, so a busy stream costs no timer churn.
  const check = (): void => {
    timer = undefined;
    if (done || isPaused) return;
    const silentMs = Date.now() - since;
    if (silentMs >= timeoutMs) setImmediate(confirm);
    else arm(timeoutMs - silentMs);
  };
  // Runs after the poll phase, which reads whatever waited in the kernel while the loop was busy.
  const confirm = (): void => {
    if (done || isPaused || timer !== undefined) return;
    const silentMs = Date.now() - since;
    if (silentMs < timeoutMs) {
      arm(timeoutMs - silentMs);
      return;
    }
    done = true;
    onExpired(silentMs);
  };
  if (!isPaused) arm(timeoutMs);

  return {
    feed() {
      since = Date.now();
    },
    pause() {
      if (done || isPaused) return;
      isPaused = true;
      clearTimeout(timer);
      timer = undefined;
    },
    resume() {
      if (done || !isPaused) return;
      isPaused = false;
      since = Date.now();
      arm(timeoutMs);
    },
    cancel() {
      done = true;
      clearTimeout(timer);
      timer = undefined;
    },
    get paused() {
      return isPaused;
    },
  };
}
