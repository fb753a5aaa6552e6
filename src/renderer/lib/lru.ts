// A small least-recently-used cache: parsed Markdown and highlighted code are kept for the turns a
// reader scrolls back to, so a row that mounts again does not redo the work.
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  get(key: K, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      // Most recently used last: Map iterates in insertion order.
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const v = make();
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
    return v;
  }
}
