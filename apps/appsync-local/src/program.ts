import { Command } from 'commander';
import { UsageError } from '@tickerflow/core';

/** The appsync-local command line. Not built yet: see issue 7. */
export function buildProgram(): Command {
  return new Command('appsync-local')
    .description('Serve a local AWS AppSync endpoint (GraphQL over HTTP + realtime WebSocket)')
    .action(() => {
      throw new UsageError('appsync-local is not implemented yet (issue 7)');
    });
}
