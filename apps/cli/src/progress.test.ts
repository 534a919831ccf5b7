import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar } from './progress';

function sink(isTTY: boolean) {
  const w = new Writable({
    write(chunk, _e, cb) {
      (w as unknown as { text: string }).text += String(chunk);
      cb();
    },
  }) as Writable & { text: string; isTTY?: boolean; columns?: number; cursorTo?: unknown };
  w.text = '';
  w.isTTY = isTTY;
  return w;
}

describe('createProgressBar', () => {
  it('stays silent when the stream is not a terminal', () => {
    const s = sink(false);
    const bar = createProgressBar(s, { unit: '瓦片 tiles', rateUnit: 'Mpx/s' });
    bar.update(5, 10, 42);
    bar.stop();
    expect(s.text).toBe('');
  });
});
