/** One connected region of a heatmap above the low threshold that reaches the high threshold. */
export interface HeatComponent {
  cells: number[];
  maxScore: number;
}

/**
 * Hysteresis segmentation of a heatmap: 8-connected regions of cells ≥ `low` that contain at least one
 * cell ≥ `high`, with at least `minCells` cells.
 */
export function heatComponents(heat: Float32Array, w: number, h: number, low: number, high: number, minCells = 1): HeatComponent[] {
  const seen = new Uint8Array(w * h);
  const out: HeatComponent[] = [];
  const stack: number[] = [];
  for (let i = 0; i < w * h; i++) {
    if (seen[i] || heat[i] < high) continue;
    const cells: number[] = [];
    let max = 0;
    stack.push(i);
    seen[i] = 1;
    while (stack.length) {
      const c = stack.pop()!;
      cells.push(c);
      if (heat[c] > max) max = heat[c];
      const cx = c % w,
        cy = (c - cx) / w;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx,
            ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const n = ny * w + nx;
          if (!seen[n] && heat[n] >= low) {
            seen[n] = 1;
            stack.push(n);
          }
        }
    }
    if (cells.length >= minCells) out.push({ cells, maxScore: max });
  }
  return out;
}
