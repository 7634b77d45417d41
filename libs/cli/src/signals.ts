export interface ShutdownHandle {
  /** Aborted on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Removes the handlers (tests, or a tool that is done). */
  dispose(): void;
}

/**
 * First SIGINT/SIGTERM aborts `signal` so the tool can stop cleanly (flush, commit,
 * exit 0); a second one means the user is impatient and exits at once with 130.
 */
export function handleShutdownSignals(onSecondSignal: () => void = () => process.exit(130)): ShutdownHandle {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      onSecondSignal();
      return;
    }
    controller.abort(new Error(`received ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
