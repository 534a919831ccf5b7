import type { Page } from 'playwright-core';

/**
 * Reads the map canvas back and counts its pixels that are neither transparent nor the plain
 * background colour, and how many distinct colours it shows: imagery gives many, a blank map one.
 */
export async function canvasStats(
  page: Page,
  selector = '[data-testid=map] canvas',
): Promise<{ width: number; height: number; nonBackground: number; distinctColours: number }> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel) as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(canvas, 0, 0);
    const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
    const bg = [0xe8, 0xec, 0xe9];
    let nonBackground = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 16) {
      const r = data[i];
      const g = data[i + 1];
      const b = data[i + 2];
      if (data[i + 3] > 0 && (Math.abs(r - bg[0]) > 6 || Math.abs(g - bg[1]) > 6 || Math.abs(b - bg[2]) > 6)) nonBackground++;
      colours.add((r >> 3) * 1024 + (g >> 3) * 32 + (b >> 3));
    }
    return { width: copy.width, height: copy.height, nonBackground: nonBackground * 4, distinctColours: colours.size };
  }, selector);
}
