export * from './settings';
export * from './options';
export * from './config';
export * from './errors';
export * from './log-creator';
export { createKafka, connectWithin, createTopicWithLeaders, ensureTopic, type EnsureTopicOptions, type TopicInfo } from './client';
export { kafkajs } from './kafkajs';
export { holdRejoin, rejoinHoldPatched, type RejoiningMember } from './rejoin-hold';
