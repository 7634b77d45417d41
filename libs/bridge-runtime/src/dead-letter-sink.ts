import type { Kafka, Producer } from 'kafkajs';
import { connectWithin, kafkajs } from '@tickerflow/kafka';
import type { DeadLetterSink } from '@tickerflow/relay';

export interface KafkaDeadLetterSink extends DeadLetterSink {
  close(): Promise<void>;
}

/**
 * Dead letters to Kafka, acknowledged by all replicas before an offset counts as handled;
 * a duplicate dead letter is harmless.
 */
export async function openDeadLetterSink(kafka: Kafka): Promise<KafkaDeadLetterSink> {
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: kafkajs().Partitioners.DefaultPartitioner });
  await connectWithin(kafka, producer);
  return {
    async send(letters) {
      const byTopic = new Map<string, typeof letters[number][]>();
      for (const letter of letters) byTopic.set(letter.topic, [...(byTopic.get(letter.topic) ?? []), letter]);
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, items]) => ({
          topic,
          messages: items.map((item) => ({ key: item.key, value: item.value, headers: { ...item.headers } })),
        })),
      });
    },
    close: () => producer.disconnect(),
  };
}
