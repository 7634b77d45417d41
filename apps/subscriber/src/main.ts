import { main } from '@tickerflow/cli';
import { subExitCodeFor } from './exit-codes';
import { buildProgram } from './program';

await main(buildProgram(), { exitCodeFor: subExitCodeFor });
