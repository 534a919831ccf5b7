import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The tiles package's tiny "redness" segmentation model (a documented test fixture: it scores red
 * paint, not poppy), so scans can run end to end in tests without the trained model.
 */
export const REDNESS_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../packages/tiles/fixtures/models/redness-seg');

/** Red plots (pixel boxes) for a 0.1-m test orthophoto of 1000 × 800 px. */
export const RED_PLOTS = [
  { x: 120, y: 100, w: 40, h: 30 },
  { x: 600, y: 200, w: 30, h: 30 },
  { x: 300, y: 550, w: 50, h: 40 },
  { x: 800, y: 650, w: 35, h: 25 },
];
