export { runBench, type RunBenchOptions, type RunBenchResult } from './bench';
export { addBenchOptions, parseCli, planFromOptions, nextSearchRate, type CliOptions, type RawOptions } from './plan';
export { assignSubscribers, expectedDeliveries, matchingSubscribers, type SubscriberFilter } from './mix';
export { createDeliveryTracker, type DeliveryTracker, type DeliveryCounts } from './delivery-tracker';
export { computeRatios, formatRatios, bestSustained, findScenario } from './ratios';
export { buildLineChart, logTicks, type ChartSeries, type ChartPoint, type ChartOptions } from './svg-chart';
export { buildChart, buildMarkdown, resultsTable, chartSeries } from './report';
export * from './types';
