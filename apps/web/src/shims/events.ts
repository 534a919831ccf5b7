/**
 * A small browser stand-in for Node's `events` module. xmlbuilder2 (used by gpx-builder in
 * packages/planner's GPX export) declares a class extending EventEmitter; the browser bundle
 * needs the class to exist. Implements on/once/off/emit, which is all that code path uses.
 */
type Listener = (...args: unknown[]) => void;

export class EventEmitter {
  private listeners = new Map<string | symbol, Listener[]>();

  on(event: string | symbol, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }

  addListener(event: string | symbol, fn: Listener): this {
    return this.on(event, fn);
  }

  once(event: string | symbol, fn: Listener): this {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped);
      fn(...args);
    };
    return this.on(event, wrapped);
  }

  off(event: string | symbol, fn: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== fn),
    );
    return this;
  }

  removeListener(event: string | symbol, fn: Listener): this {
    return this.off(event, fn);
  }

  removeAllListeners(event?: string | symbol): this {
    if (event === undefined) this.listeners.clear();
    else this.listeners.delete(event);
    return this;
  }

  emit(event: string | symbol, ...args: unknown[]): boolean {
    const list = this.listeners.get(event) ?? [];
    for (const fn of [...list]) fn(...args);
    return list.length > 0;
  }

  listenerCount(event: string | symbol): number {
    return (this.listeners.get(event) ?? []).length;
  }
}

export default EventEmitter;
