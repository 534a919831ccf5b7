import { parentPort } from 'node:worker_threads';
import { openGeoTiffSource, type GeoTiffSource } from '../read/open-geotiff-source';
import { scanRow } from '../scan/scan-row';
import type { ScanPlan } from '../scan/scan-plan';
import { loadModel, type LoadedModel } from './load-model';
import type { WorkerRequest, WorkerReply } from './worker-protocol';

let model: LoadedModel | undefined;
let source: GeoTiffSource | undefined;
let plan: ScanPlan | undefined;
let segmentTiles = 8;
let batchSize = 8;

const port = parentPort!;
const reply = (m: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.on('message', async (m: WorkerRequest) => {
  try {
    switch (m.type) {
      case 'model':
        model = await loadModel(m.modelDir, { threads: 1 });
        reply({ type: 'ok' });
        break;
      case 'open':
        await source?.close();
        source = await openGeoTiffSource(m.path, { crs: m.crs, cacheBytes: m.cacheBytes });
        // Blocks this thread decodes feed the reduced level the scan builds (its file is the scan's).
        if (m.reduced) await source.reduceLevel(m.reduced.factor, m.reduced.path, false).catch(() => false);
        plan = m.plan;
        segmentTiles = m.segmentTiles;
        batchSize = m.batchSize;
        reply({ type: 'ok' });
        break;
      case 'row': {
        const src = source!;
        const r = await scanRow(m.ty, plan!, model!.card, (box, w, h) => src.readWindow(box, w, h), (b, n) => model!.infer(b, n), {
          segmentTiles,
          batchSize,
        });
        const transfer = [r.heatValid.buffer as ArrayBuffer, r.footValid.buffer as ArrayBuffer, ...r.tiles.map((t) => t.scores.buffer as ArrayBuffer)];
        reply({ type: 'row', result: r, blocksDecoded: src.blocksDecoded() }, transfer);
        break;
      }
      case 'close':
        await source?.close();
        source = undefined;
        reply({ type: 'ok' });
        break;
      case 'exit':
        await source?.close();
        await model?.release();
        port.close();
        break;
    }
  } catch (err) {
    const e = err as Error & { code?: string };
    reply({ type: 'error', code: e.code, message: e.message ?? String(err) });
  }
});
