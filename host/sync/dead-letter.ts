// Dead-lettering done by the consumer itself rather than by the broker: a message that can never be
// applied (invalid, or failing SYNC_MAX_ATTEMPTS times) is published to the dead-letter exchange
// with its original headers plus the reason, over a confirm channel, and only acked once that
// publish is confirmed. The broker's own x-death headers cannot carry a reason, and counting
// failures here (not broker redeliveries) keeps a message safe when the consumer merely crashed or
// lost its connection while holding it.
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';

export const REASON_HEADER = 'x-edgetrace-dead-letter-reason';

export interface DeadLetterInfo {
  reason: string;
  queue: string;
  attempts: number;
}

export function publishDeadLetter(
  channel: ConfirmChannel,
  exchange: string,
  message: ConsumeMessage,
  info: DeadLetterInfo,
): Promise<void> {
  const properties = message.properties;
  const headers: Record<string, unknown> = {
    ...(properties.headers ?? {}),
    [REASON_HEADER]: info.reason.slice(0, 1000),
    'x-edgetrace-dead-letter-queue': info.queue,
    'x-edgetrace-dead-letter-attempts': info.attempts,
    'x-edgetrace-dead-letter-time': Date.now(),
    'x-original-exchange': message.fields.exchange,
    'x-original-routing-key': message.fields.routingKey,
  };
  // The original CC header would be matched again by a topic exchange; the dead-letter exchange is
  // a fanout, but the header is meaningless there and is dropped to keep the record plain.
  delete headers['CC'];
  delete headers['x-delivery-count'];
  return new Promise((resolve, reject) => {
    channel.publish(
      exchange,
      message.fields.routingKey,
      message.content,
      {
        persistent: true,
        headers,
        contentType: properties.contentType as string | undefined,
        messageId: properties.messageId as string | undefined,
        timestamp: properties.timestamp as number | undefined,
        type: properties.type as string | undefined,
      },
      (error: unknown) =>
        error === null || error === undefined
          ? resolve()
          : reject(error instanceof Error ? error : new Error('the broker refused the dead-letter message')),
    );
  });
}
