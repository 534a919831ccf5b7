import { parentPort } from 'node:worker_threads';
import { openGeoTiffSource, type GeoTiffSource } from '../read/open-geotiff-source';
import { scanRow, segmentWindow, type RowResult } from '../scan/scan-row';
import type { RgbRaster } from '../read/resample-area';
import type { ScanPlan } from '../scan/scan-plan';
import { loadModel, type LoadedModel } from './load-model';
import { keepHotCells } from './first-stage';
import type { KeepSpec } from './keep-plan';
import type { WorkerRequest, WorkerReply } from './worker-protocol';

let model: LoadedModel | undefined;
let source: GeoTiffSource | undefined;
let plan: ScanPlan | undefined;
let segmentTiles = 8;
let batchSize = 8;
let keep: KeepSpec | undefined;
/** The next unit's first window, read while this unit's last one is inferred. */
let ahead: { box: readonly number[]; win: Promise<RgbRaster> } | undefined;

const port = parentPort!;
const reply = (m: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

// One request at a time, in order: a row asked for while the previous one is scanned waits its turn (rows share
// this thread's cache, read-ahead window and tile batches).
let queue: Promise<void> = Promise.resolve();
port.on('message', (m: WorkerRequest) => {
  queue = queue.then(() => answer(m));
});

async function answer(m: WorkerRequest): Promise<void> {
  try {
    switch (m.type) {
      case 'model':
        model = await loadModel(m.modelDir, { threads: 1 });
        reply({ type: 'ok' });
        break;
      case 'open':
        await source?.close();
        source = await openGeoTiffSource(m.path, { crs: m.crs, cacheBytes: m.cacheBytes });
        // The coordinator's source decodes JPEG blocks smaller for the first stage: so does this thread's.
        if (m.scaled) source.scaleJpegLevel(m.scaled);
        // Blocks this thread decodes feed the reduced level the scan builds (its file is the scan's).
        if (m.reduced) await source.reduceLevel(m.reduced.factor, m.reduced.path, false).catch(() => false);
        // …and the blocks it keeps (kept-blocks.ts): asked for here too, since this thread's cache holds them.
        keep =
          m.keep &&
          (await source.keepBlocks(m.keep.path, false, m.keep.limitBytes, m.keep.inFlightBytes).then(
            () => m.keep,
            () => undefined,
          ));
        for (const box of keep?.boxes ?? []) source.keepBlocksUnder(box);
        plan = m.plan;
        segmentTiles = m.segmentTiles;
        batchSize = m.batchSize;
        reply({ type: 'ok' });
        break;
      case 'row': {
        const src = source!;
        const [ty, tx0, tx1] = m.unit;
        const a = ahead;
        ahead = undefined;
        const read = (box: readonly [number, number, number, number], w: number, h: number) =>
          a && a.box.every((v, i) => v === box[i]) ? a.win : src.readWindow(box, w, h);
        const onLastRead = () => {
          if (!m.next) return;
          const [nty, ntx0, ntx1] = m.next;
          const [box, w, h] = segmentWindow(plan!, nty, ntx0, Math.min(ntx0 + segmentTiles, ntx1));
          const win = src.readWindow(box, w, h);
          win.catch(() => undefined); // awaited, and its error thrown, with the next unit
          ahead = { box, win };
        };
        const onScored = (tiles: RowResult['tiles']) => keepHotCells(src, plan!, { ty, tiles }, keep);
        const r = await scanRow(ty, plan!, model!.card, read, (b, n) => model!.infer(b, n), { segmentTiles, batchSize, onLastRead, onScored, tx0, tx1 });
        const transfer = [r.heatValid.buffer as ArrayBuffer, r.footValid.buffer as ArrayBuffer, ...r.tiles.map((t) => t.scores.buffer as ArrayBuffer)];
        reply({ type: 'row', result: r, blocksDecoded: src.blocksDecoded() }, transfer);
        break;
      }
      case 'close':
        ahead = undefined;
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
}
