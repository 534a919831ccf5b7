import { pointInRings } from '@tiandi/geo';

/**
 * Rasterises polygons (rings in pixel coordinates, x right, y down) into a coverage mask: each cell
 * gets the fraction (0–255) of its area inside any polygon, from `ss × ss` samples per cell.
 * Holes are honoured by the even–odd rule over all rings of one polygon.
 */
export function rasterizeCoverage(polygons: Array<Array<Array<[number, number]>>>, width: number, height: number, ss = 4): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const rings of polygons) {
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (const [x, y] of rings[0]) {
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    const cx0 = Math.max(0, Math.floor(x0)),
      cx1 = Math.min(width - 1, Math.floor(x1));
    const cy0 = Math.max(0, Math.floor(y0)),
      cy1 = Math.min(height - 1, Math.floor(y1));
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        let hits = 0;
        for (let sy = 0; sy < ss; sy++) {
          const py = cy + (sy + 0.5) / ss;
          for (let sx = 0; sx < ss; sx++) {
            const px = cx + (sx + 0.5) / ss;
            if (pointInRings(px, py, rings)) hits++;
          }
        }
        if (hits) {
          const p = cy * width + cx;
          mask[p] = Math.min(255, mask[p] + Math.round((255 * hits) / (ss * ss)));
        }
      }
    }
  }
  return mask;
}
