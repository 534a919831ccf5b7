// Light entry (@tiandi/tiles): pure logic, no native modules.
export { TilesError, TILES_ERROR_CODES, TILES_BORROWED_CODES, type TilesErrorCode } from './errors';
export { parseModelCard, ModelCardSchema, type ModelCard } from './model/model-card';
export { scoresFromOutput, writeTileTensor } from './model/tile-tensor';
export { scanPlan, cellToSourcePixel, footCellToSourcePixel, type ScanPlan } from './scan/scan-plan';
export { HeatmapAccumulator } from './scan/heatmap-accumulator';
export { tracePlots, type GridPlot, type TraceOptions } from './vector/trace-plots';
export { outlineRings, ringArea, type GridPolygon, type Ring } from './vector/outline-rings';
export { simplifyRing } from './vector/simplify-ring';
export { resampleArea, type RgbRaster } from './read/resample-area';
export type { GeoTransform } from './write/geo-tags';
export { applyGeoTransform, invertGeoTransform } from './read/georef';
export { pickWindowCells } from './verify/pick-windows';
