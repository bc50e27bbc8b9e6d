// Bare amqplib publishing on a confirm channel with a sliding window of unconfirmed messages: the
// ceiling the relay and the hub are compared with (raw-confirm.ts, hub-fill.ts). Waits for the
// socket's 'drain' instead of queueing without bound; any nack rejects.
import type { ConfirmChannel } from 'amqplib';
import type { OutgoingMessage } from '../../host/sync/event-message.js';

/** Publishes `count` messages, `messageAt(i)` for i in 0 … count − 1, keeping ≤ `window` unconfirmed. */
export function publishWindowed(
  channel: ConfirmChannel,
  exchange: string,
  count: number,
  window: number,
  messageAt: (i: number) => OutgoingMessage,
): Promise<void> {
  let sent = 0;
  let confirmed = 0;
  let failed: unknown = null;
  let waitingForDrain = false;
  return new Promise<void>((resolve, reject) => {
    if (count === 0) return resolve();
    const pump = (): void => {
      if (waitingForDrain) return;
      while (sent < count && sent - confirmed < window) {
        const message = messageAt(sent++);
        const ok = channel.publish(
          exchange,
          message.routingKey,
          message.content,
          message.options,
          (error: unknown) => {
            if (error !== null && error !== undefined) failed ??= error;
            confirmed++;
            if (failed !== null) return reject(failed instanceof Error ? failed : new Error(String(failed)));
            if (confirmed === count) return resolve();
            pump();
          },
        );
        if (!ok) {
          waitingForDrain = true;
          channel.once('drain', () => {
            waitingForDrain = false;
            pump();
          });
          return;
        }
      }
    };
    pump();
  });
}
