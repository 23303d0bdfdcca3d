import { toSourceEvent } from '@loupe/segmenter';

/** A simulated event as the store takes it (`insertEvents`), with the columns the segmenter's source reads. */
export function storedSimulated(event, writeKey, receivedAt) {
  const s = toSourceEvent(event);
  return {
    writeKey,
    messageId: event.messageId,
    type: s.type,
    anonymousId: s.anonymousId,
    userId: s.userId,
    name: s.name,
    timestamp: s.timestamp,
    receivedAt,
    sessionId: null,
    ip: null,
    isBot: s.isBot,
    payload: event,
  };
}
