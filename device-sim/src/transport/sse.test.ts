import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.js';

describe('SseParser', () => {
  it('parses the RTDB event shapes, one per blank line', () => {
    const parser = new SseParser();
    const events = parser.push(
      'event: put\ndata: {"path":"/","data":{"angle":90}}\n\nevent: keep-alive\ndata: null\n\n' +
        'event: patch\ndata: {"path":"/lcd","data":{"line1":"IR 100"}}\n\nevent: cancel\ndata: "Permission denied."\n\n',
    );
    expect(events).toEqual([
      { event: 'put', data: '{"path":"/","data":{"angle":90}}' },
      { event: 'keep-alive', data: 'null' },
      { event: 'patch', data: '{"path":"/lcd","data":{"line1":"IR 100"}}' },
      { event: 'cancel', data: '"Permission denied."' },
    ]);
  });

  it('reassembles events split at any byte, with CRLF line ends', () => {
    const stream = 'event: put\r\ndata: {"path":"/a","data":1}\r\n\r\nevent: auth_revoked\r\ndata: "token expired"\r\n\r\n';
    for (let cut = 1; cut < stream.length; cut += 1) {
      const parser = new SseParser();
      const events = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
      expect(events, `cut at ${cut}`).toEqual([
        { event: 'put', data: '{"path":"/a","data":1}' },
        { event: 'auth_revoked', data: '"token expired"' },
      ]);
    }
  });

  it('ignores comments and joins multi-line data', () => {
    const parser = new SseParser();
    expect(parser.push(': hello\nevent: put\ndata: {"path":"/",\ndata: "data":2}\n\n')).toEqual([
      { event: 'put', data: '{"path":"/",\n"data":2}' },
    ]);
  });
});
