/** Exit codes shared by every tickerflow CLI; apps add specific ones above 2 where an issue names them. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
} as const;
