// Node hash the client uses for transactions and listen caches. It must match the SDK bit for bit
// (docs/protocol.md §9): core/snap/LeafNode.ts hash, core/snap/ChildrenNode.ts hash, snap.ts priorityHashText.
import { createHash } from 'node:crypto';
import { Branch, leafValue, priorityOf, type Node } from './node.js';
import { priorityOrderedKeys } from './priority-order.js';

/**
 * Literal port of the SDK's core/util/util.ts doubleToIEEE754String. It is inexact for some
 * doubles (floor(log(v)/LN2) is off by one near powers of two), and the hash must reproduce
 * exactly that inexactness, so Buffer.writeDoubleBE cannot be used.
 */
export function doubleToIEEE754String(input: number): string {
  const ebits = 11;
  const fbits = 52;
  const bias = (1 << (ebits - 1)) - 1;
  let v = input;
  let s: boolean;
  let e: number;
  let f: number;
  if (v === 0) {
    e = 0;
    f = 0;
    s = 1 / v === -Infinity;
  } else {
    s = v < 0;
    v = Math.abs(v);
    if (v >= Math.pow(2, 1 - bias)) {
      const ln = Math.min(Math.floor(Math.log(v) / Math.LN2), bias);
      e = ln + bias;
      f = Math.round(v * Math.pow(2, fbits - ln) - Math.pow(2, fbits));
    } else {
      e = 0;
      f = Math.round(v / Math.pow(2, 1 - bias - fbits));
    }
  }
  const bits: number[] = [];
  for (let i = fbits; i; i -= 1) {
    bits.push(f % 2 ? 1 : 0);
    f = Math.floor(f / 2);
  }
  for (let i = ebits; i; i -= 1) {
    bits.push(e % 2 ? 1 : 0);
    e = Math.floor(e / 2);
  }
  bits.push(s ? 1 : 0);
  bits.reverse();
  const str = bits.join('');
  let hex = '';
  for (let i = 0; i < 64; i += 8) hex += parseInt(str.substring(i, i + 8), 2).toString(16).padStart(2, '0');
  return hex;
}

function sha1Base64(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('base64');
}

function priorityText(priority: string | number): string {
  return typeof priority === 'number' ? 'number:' + doubleToIEEE754String(priority) : 'string:' + priority;
}

/** Hash of a node as the SDK computes it; '' for an absent node. */
export function nodeHash(node: Node | null): string {
  if (node === null) return '';
  const priority = priorityOf(node);
  let text = priority === null ? '' : 'priority:' + priorityText(priority) + ':';
  if (node instanceof Branch) {
    for (const key of priorityOrderedKeys(node)) {
      const childHash = nodeHash(node.get(key)!);
      if (childHash !== '') text += ':' + key + ':' + childHash;
    }
    return text === '' ? '' : sha1Base64(text);
  }
  const value = leafValue(node)!;
  text += typeof value + ':';
  text += typeof value === 'number' ? doubleToIEEE754String(value) : String(value);
  return sha1Base64(text);
}
