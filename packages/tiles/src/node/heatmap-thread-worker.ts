// The heatmap thread's entry (write-heatmap.ts, writeHeatmapOnThread): reads a flushed heatmap grid from its file and
// writes heatmap.tif, one request per thread.
import { parentPort } from 'node:worker_threads';
import { PagedCells } from '../scan/paged-cells';
import { type HeatmapFile, writeHeatmapFile } from './write-heatmap';

parentPort!.on('message', async (m: { seq: number; path: string; file: HeatmapFile; pages: string; cacheBytes: number }) => {
  const scores = PagedCells.readFrom(Float32Array, m.file.width, m.file.height, { path: m.pages, cacheBytes: m.cacheBytes });
  try {
    await writeHeatmapFile(m.path, m.file, scores);
    parentPort!.postMessage({ seq: m.seq });
  } catch (e) {
    parentPort!.postMessage({ seq: m.seq, error: String((e as Error)?.message ?? e) });
  } finally {
    scores.close();
  }
});
