/**
 * Refusing one publish without closing the session.
 *
 * MQTT 5: aedes 2.0.0-beta.1 answers a failed `authorizePublish` with PUBACK 0x87 only
 * (node_modules/aedes/lib/handlers/publish.js `authorizePublish`). To tell the device the precise
 * reason (0x99 payload format invalid, 0x90 topic name invalid…) the gateway writes the PUBACK
 * (PUBREC for QoS 2) itself, with the reason string, and marks the packet the way aedes marks an
 * unauthorized one (`_notAuthorized`), so aedes neither acknowledges nor routes it. The version is
 * pinned in package.json; test/gateway.test.ts fails if this stops working.
 *
 * MQTT 3.1.1 has no negative acknowledgement: the server "MUST either make a positive
 * acknowledgement ... or close the Network Connection" (MQTT-3.3.5-2). To keep the session, the
 * gateway acknowledges positively and drops the message (authorizeForward never forwards device
 * topics); the refusal is logged and counted towards the abuse limit.
 */
import type { Client, PublishPacket } from 'aedes';
import mqttPacket from 'mqtt-packet';
import type { Refusal } from './reason-codes.js';

type MarkablePacket = PublishPacket & { _notAuthorized?: boolean };

export function refusePublish(client: Client, packet: PublishPacket, refused: Refusal, done: (error?: Error | null) => void): void {
  packet.retain = false;
  if (client.version !== 5) {
    done(null);
    return;
  }
  (packet as MarkablePacket)._notAuthorized = true;
  if (packet.qos > 0 && packet.messageId !== undefined && !client.closed) {
    const ack = {
      cmd: packet.qos === 1 ? ('puback' as const) : ('pubrec' as const),
      messageId: packet.messageId,
      reasonCode: refused.reasonCode,
      properties: { reasonString: refused.reason.slice(0, 512) },
    };
    mqttPacket.writeToStream(ack, client.conn, { protocolVersion: 5 });
  }
  done(null);
}

/** Drops a publish without any acknowledgement (the session is being closed: the device redelivers). */
export function withholdPublish(packet: PublishPacket): void {
  (packet as MarkablePacket)._notAuthorized = true;
  packet.retain = false;
}
