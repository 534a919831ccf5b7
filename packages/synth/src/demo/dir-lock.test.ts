import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDirLock } from './dir-lock';

describe('acquireDirLock', () => {
  it('lets one holder in at a time: the second waits until the first releases', async () => {
    const lock = join(mkdtempSync(join(tmpdir(), 'tiandi-lock-')), 'x.lock');
    const order: string[] = [];
    const releaseA = await acquireDirLock(lock);
    order.push('A in');
    const b = acquireDirLock(lock).then(async (release) => {
      order.push('B in');
      await release();
    });
    await new Promise((r) => setTimeout(r, 700));
    order.push('A out');
    await releaseA();
    await b;
    expect(order).toEqual(['A in', 'A out', 'B in']);
  });

  it('takes over a lock left behind by a process that died long ago', async () => {
    const lock = join(mkdtempSync(join(tmpdir(), 'tiandi-lock-')), 'x.lock');
    mkdirSync(lock);
    const old = (Date.now() - 20 * 60_000) / 1000;
    utimesSync(lock, old, old);
    const release = await acquireDirLock(lock);
    await release();
  });
});
