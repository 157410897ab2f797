// A cheap fingerprint of a node's content, to tell whether a query listen's window changed since
// the last push. The SDK hash (hash.ts) would also do, but it runs SHA-1 for every node of the
// window plus a bit-by-bit double encoding per number; with one listen per device a busy fleet
// spent most of each commit there. This builds one canonical text and runs SHA-1 once.
import { createHash } from 'node:crypto';
import { Branch, leafValue, priorityOf, type Node } from './node.js';

/** Canonical text: keys in name order, priorities, numbers in their exact round-trip form. */
function contentText(node: Node): string {
  const priority = priorityOf(node);
  let text = priority === null ? '' : '(' + JSON.stringify(priority) + ')';
  if (node instanceof Branch) {
    text += '{';
    for (const key of node.sortedKeys()) text += JSON.stringify(key) + ':' + contentText(node.get(key)!) + ',';
    return text + '}';
  }
  const value = leafValue(node)!;
  // String(number) round-trips every double exactly; -0 is stored as 0 (parse.ts).
  return text + (typeof value === 'number' ? String(value) : JSON.stringify(value));
}

/** Equal for equal content, different otherwise (up to SHA-1 collisions); '' for no node. */
export function contentFingerprint(node: Node | null): string {
  if (node === null) return '';
  return createHash('sha1').update(contentText(node), 'utf8').digest('base64');
}
