// The heatmap thread's entry (write-heatmap.ts, writeHeatmapOnThread): reads a flushed heatmap grid from its file and
// writes heatmap.tif, one request per thread.
import { parentPort } from 'node:worker_threads';
import { TilesError } from '../errors';
import { PagedCells } from '../scan/paged-cells';
import { type HeatmapFile, writeHeatmapFile } from './write-heatmap';

parentPort!.on('message', async (m: { seq: number; path: string; file: HeatmapFile; pages: string; cacheBytes: number }) => {
  const scores = PagedCells.readFrom(Float32Array, m.file.width, m.file.height, { path: m.pages, cacheBytes: m.cacheBytes });
  try {
    await writeHeatmapFile(m.path, m.file, scores);
    parentPort!.postMessage({ seq: m.seq });
  } catch (e) {
    // A TilesError's code and path go back with its message, so the scan reports it as it would from this thread.
    const t = e as TilesError;
    parentPort!.postMessage({ seq: m.seq, error: String(t?.message ?? e), ...(t instanceof TilesError ? { code: t.code, path: t.path } : {}) });
  } finally {
    scores.close();
  }
});
