// A SimulatedDevice wired with the real clock, signal and push ids: what `run` and every fleet
// member share. Tests build SimulatedDevice directly with fakes instead.
import { PushIdGenerator, type ReadingWrite } from '@firelink/model';
import { systemClock } from './clock.js';
import { SimulatedDevice, type DeviceOptions } from './device.js';
import type { OfflineQueue } from './queue.js';
import { SignalGenerator } from './signal.js';

/** The SDK pipelines writes over its socket; REST sends one request at a time, as the firmware does. */
const SDK_SEND_WINDOW = 32;

export type LiveDeviceOptions = Omit<DeviceOptions, 'signal' | 'nextPushId' | 'clock' | 'sendWindow' | 'maybeSent'> & {
  queue: OfflineQueue<ReadingWrite>;
};

export function createLiveDevice(options: LiveDeviceOptions): SimulatedDevice {
  return new SimulatedDevice({
    ...options,
    signal: new SignalGenerator({ random: options.random }),
    nextPushId: pushIds(options.random),
    clock: systemClock,
    sendWindow: options.transport.kind === 'sdk' ? SDK_SEND_WINDOW : 1,
    // Readings still queued at start may have reached the server before a restart.
    maybeSent: options.queue.peek(options.queue.size).map((item) => item.id),
  });
}

/** The reading ids of one device: the toolkit's push ids (model/src/rtdb/push-id.ts). */
export function pushIds(random: () => number): (nowMs: number) => string {
  const generator = new PushIdGenerator(random);
  return (nowMs) => generator.next(nowMs);
}
