import { describe, expect, it } from 'vitest';
import { encodeFrames, FrameDecoder, MAX_FRAME_CHARS } from './framing.js';

describe('framing (core/realtime/WebSocketConnection.ts)', () => {
  it('sends small messages as one frame', () => {
    expect(encodeFrames({ a: 1 })).toEqual(['{"a":1}']);
  });

  it('splits large messages with a count frame and reassembles them', () => {
    const big = { s: 'x'.repeat(MAX_FRAME_CHARS * 2 + 10) };
    const frames = encodeFrames(big);
    expect(frames[0]).toBe('3');
    expect(frames.slice(1).every((f) => f.length <= MAX_FRAME_CHARS)).toBe(true);
    const decoder = new FrameDecoder();
    const results = frames.map((f) => decoder.push(f));
    expect(results.slice(0, -1).every((r) => r.kind === 'none')).toBe(true);
    expect(results.at(-1)).toEqual({ kind: 'message', value: big });
  });

  it('ignores the keep-alive frame "0"', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push('0')).toEqual({ kind: 'none' });
    expect(decoder.push('{"t":"d"}')).toEqual({ kind: 'message', value: { t: 'd' } });
  });

  it('reports garbage as an error and keeps decoding', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push('{nope').kind).toBe('error');
    expect(decoder.push('[1]')).toEqual({ kind: 'message', value: [1] });
  });
});
