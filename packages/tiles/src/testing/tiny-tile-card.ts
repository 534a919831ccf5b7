import type { ModelCard } from '../model/model-card';

/** A model card for row and first-stage tests: a 16-px tile every 12 px at the file's own 0.1-m GSD, one score a tile. */
export const tinyTileCard = {
  gsd_m: 0.1,
  tile_stride: 12,
  task: 'tile-classifier',
  input: { name: 'image', size: 16, channels: ['R', 'G', 'B'], scale: 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
  output: { stride: 16 },
} as unknown as ModelCard;
