// Which subscribers listen where, as a path trie, so a commit visits only the listeners at,
// above or below the written paths instead of every connection of the namespace.
import type { PathSegments } from './contracts.js';

interface TrieNode<T> {
  readonly here: Map<T, number>;
  readonly children: Map<string, TrieNode<T>>;
}

function newNode<T>(): TrieNode<T> {
  return { here: new Map(), children: new Map() };
}

export class ListenIndex<T> {
  private readonly root: TrieNode<T> = newNode();

  add(subscriber: T, path: PathSegments): void {
    let node = this.root;
    for (const key of path) {
      let next = node.children.get(key);
      if (next === undefined) {
        next = newNode();
        node.children.set(key, next);
      }
      node = next;
    }
    node.here.set(subscriber, (node.here.get(subscriber) ?? 0) + 1);
  }

  remove(subscriber: T, path: PathSegments): void {
    const chain: TrieNode<T>[] = [this.root];
    let node = this.root;
    for (const key of path) {
      const next = node.children.get(key);
      if (next === undefined) return;
      chain.push(next);
      node = next;
    }
    const count = node.here.get(subscriber);
    if (count === undefined) return;
    if (count > 1) node.here.set(subscriber, count - 1);
    else node.here.delete(subscriber);
    // Prune empty branches so the trie stays the size of the live listens.
    for (let i = chain.length - 1; i >= 1; i--) {
      const n = chain[i]!;
      if (n.here.size > 0 || n.children.size > 0) break;
      chain[i - 1]!.children.delete(path[i - 1]!);
    }
  }

  /** Subscribers with a listen at, above or below any of `paths`. */
  affected(paths: readonly PathSegments[]): Set<T> {
    const out = new Set<T>();
    for (const path of paths) {
      let node: TrieNode<T> | undefined = this.root;
      for (const key of path) {
        for (const s of node.here.keys()) out.add(s);
        node = node.children.get(key);
        if (node === undefined) break;
      }
      if (node !== undefined) this.collect(node, out);
    }
    return out;
  }

  private collect(node: TrieNode<T>, out: Set<T>): void {
    for (const s of node.here.keys()) out.add(s);
    for (const child of node.children.values()) this.collect(child, out);
  }
}
