/** Maps strings to dense integer ids (0, 1, 2, …) so counts can live in typed arrays. */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  constructor(initial: readonly string[] = []) {
    for (const name of initial) this.intern(name);
  }

  /** The id of `name`, assigning the next free id the first time it is seen. */
  intern(name: string): number {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const id = this.names.length;
    this.ids.set(name, id);
    this.names.push(name);
    return id;
  }

  /** The id of `name`, or -1 when it was never interned (lookups must not grow the vocabulary). */
  idOf(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  nameOf(id: number): string {
    const name = this.names[id];
    if (name === undefined) throw new RangeError(`no interned string with id ${id}`);
    return name;
  }

  get size(): number {
    return this.names.length;
  }

  toJSON(): string[] {
    return [...this.names];
  }
}
