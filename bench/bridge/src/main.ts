/**
 * npm run bench:bridge — how fast the bridge relays, on this machine.
 *
 * 1. Round trip: the bridge's publisher alone sends requests of the live phase's size at its
 *    cadence (one per ticker-gen tick) to appsync-local: the floor of the AppSync hop.
 * 2. Live: a fresh topic, the bridge caught up, ticker-gen (child process) producing --rate quotes/s for
 *    --seconds after --warmup; latency = AppSync's acceptance (the HTTP response arriving at the
 *    bridge) minus the quote's `ts` (set by the producer when it made the quote). Just before,
 *    in a phase of its own with the same rate and timing, a plain kafkajs consumer in its own
 *    process (floor-consumer.ts, the floor) notes ts -> fetched: the bridge's p99 minus the
 *    floor's is what the bridge adds (--floor-beside runs the floor in the bridge's seconds
 *    instead, on the same topic, where its CPU competes with the bridge). The topic stamps
 *    records with the broker's append time, which splits the bridge's path into producer,
 *    fetch and bridge parts.
 * 3. Backlog: pre-fills a fresh topic with --backlog quotes (ticker-gen --rate 0, a child
 *    process), then starts the bridge (a new group, from the beginning) and times it draining
 *    the topic: quotes/s from the group join to the last quote AppSync accepted.
 *
 * appsync-local runs as a child process (`appsync-local --port 0`), the broker is --brokers or
 * tools/kafka's (started if needed), the bridge runs in this process (runBridge, defaults unless
 * flags say otherwise). `npm run bench:bridge -- --help` lists the options.
 */
import { runBenchCli } from '@tickerflow/bench-support';
import { runBridgeBench } from './bench';
import { bridgeBenchProgram, type BridgeBenchOptions } from './options';

await runBenchCli(bridgeBenchProgram().action((options: BridgeBenchOptions) => runBridgeBench(options)), [
  'npm run bench:bridge',
  'npm run bench:bridge -- --rate 5000 --seconds 30 --floor-beside',
  'npm run bench:bridge -- --backlog 20000 --seconds 5 --warmup 1 --json',
]);
