import { describe, expect, it } from 'vitest';
import { EventEmitter } from './events';

describe('events shim', () => {
  it('delivers, counts and removes listeners; once fires once', () => {
    const e = new EventEmitter();
    const got: unknown[] = [];
    const fn = (x: unknown) => got.push(x);
    e.on('a', fn).once('a', (x) => got.push(`once ${x}`));
    expect(e.emit('a', 1)).toBe(true);
    e.emit('a', 2);
    expect(got).toEqual([1, 'once 1', 2]);
    e.off('a', fn);
    expect(e.emit('a', 3)).toBe(false);
    expect(e.listenerCount('a')).toBe(0);
  });
});
