export { runBench, type BenchOptions, type StepResult } from './bench';
export { formatResults } from './report';
