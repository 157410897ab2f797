// Huge REST bodies (issue #10 item 9): a Content-Length over the limit is answered 413 before
// the body is read, and the connection closes; nothing is stored.
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, onlyOurs, restUrl, startTarget, type Target } from './harness.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

describe('huge bodies', () => {
  it('answers 413 from the Content-Length alone, without waiting for the body', async () => {
    if (!onlyOurs('the exact limit and early answer are ours')) return;
    const ns = freshNamespace();
    const [host, port] = target.hostPort.split(':') as [string, string];
    const socket = new Socket();
    await new Promise<void>((resolve) => socket.connect(Number(port), host, resolve));
    let received = '';
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('data', (d: Buffer) => (received += d.toString()));
    // 300 MiB announced, 10 bytes sent: an answer can only come from the header.
    socket.write(`PUT /big.json?ns=${ns} HTTP/1.1\r\nHost: ${target.hostPort}\r\nContent-Length: ${300 * 1024 * 1024}\r\n\r\n[1,2,3,4,`);
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toContain('larger than 268435456 bytes');
    expect(await (await fetch(restUrl(target, 'big', ns))).json()).toBeNull();
  });
});
