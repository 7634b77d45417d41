import { Command } from 'commander';
import { UsageError } from '@tickerflow/core';

/** The sub command line. Not built yet: see issue 4. */
export function buildProgram(): Command {
  return new Command('sub')
    .description('Subscribe to quotes over the AWS AppSync realtime WebSocket protocol')
    .action(() => {
      throw new UsageError('sub is not implemented yet (issue 4)');
    });
}
