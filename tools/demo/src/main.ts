import { main } from '@tickerflow/cli';
import { buildProgram } from './program';

await main(buildProgram());
