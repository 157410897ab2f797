// Message splitting on the WebSocket (docs/protocol.md §2; core/realtime/WebSocketConnection.ts):
// a message longer than 16384 characters goes as a frame holding the chunk count, then the
// chunks. The client's keep-alive is the bare frame "0", which must be ignored (docs/protocol.md §18).
import { RtdbError } from '../errors.js';

export const MAX_FRAME_CHARS = 16384;
/** Largest message one SDK connection may send (RTDB limit for a single SDK write: 16 MB). */
export const MAX_MESSAGE_CHARS = 16 * 1024 * 1024;

export function encodeFrames(message: unknown): string[] {
  const text = JSON.stringify(message);
  if (text.length <= MAX_FRAME_CHARS) return [text];
  const frames = [String(Math.ceil(text.length / MAX_FRAME_CHARS))];
  for (let i = 0; i < text.length; i += MAX_FRAME_CHARS) frames.push(text.slice(i, i + MAX_FRAME_CHARS));
  return frames;
}

export type FrameResult =
  | { kind: 'none' }
  | { kind: 'message'; value: unknown }
  | { kind: 'error'; error: RtdbError; requestId: number | null };

/** Reassembles frames into parsed messages; oversized or malformed input becomes an error result. */
export class FrameDecoder {
  private expected = 0;
  private parts: string[] = [];
  private chars = 0;
  private oversized = false;
  private firstPart = '';

  push(frame: string): FrameResult {
    if (this.expected > 0) return this.pushPart(frame);
    if (frame.length <= 6 && /^\d+$/.test(frame)) {
      const count = Number(frame);
      if (count === 0) return { kind: 'none' }; // keep-alive
      this.expected = count;
      this.parts = [];
      this.chars = 0;
      this.oversized = false;
      this.firstPart = '';
      return { kind: 'none' };
    }
    if (frame.length > MAX_MESSAGE_CHARS) return this.tooBig(frame);
    return parse(frame);
  }

  private pushPart(frame: string): FrameResult {
    this.expected--;
    if (this.firstPart === '') this.firstPart = frame.slice(0, 200);
    this.chars += frame.length;
    if (this.chars > MAX_MESSAGE_CHARS) {
      this.oversized = true;
      this.parts = [];
    } else if (!this.oversized) {
      this.parts.push(frame);
    }
    if (this.expected > 0) return { kind: 'none' };
    if (this.oversized) return this.tooBig(this.firstPart);
    const text = this.parts.join('');
    this.parts = [];
    return parse(text);
  }

  private tooBig(head: string): FrameResult {
    // The request id sits at the start of the message: answer it so the client's write fails
    // instead of the connection looping on a resend.
    const match = /"r"\s*:\s*(\d+)/.exec(head.slice(0, 200));
    return {
      kind: 'error',
      error: new RtdbError('too_big', `Message larger than ${MAX_MESSAGE_CHARS} characters; RTDB accepts at most 16 MB per SDK write`),
      requestId: match ? Number(match[1]) : null,
    };
  }
}

function parse(text: string): FrameResult {
  try {
    return { kind: 'message', value: JSON.parse(text) };
  } catch {
    return { kind: 'error', error: new RtdbError('invalid_request', `Frame is not valid JSON: ${text.slice(0, 80)}`), requestId: null };
  }
}
