import fs from 'node:fs';
import path from 'node:path';
import { importScanDir, workspaceScanQuality } from '@tiandi/store';
import type { ServerContext } from '../context';
import { workspaceOf } from '../workspace/workspace-service';
import type { ScanRunner } from './job-queue';
import { scanInThread } from './scan-thread';

/** models/poppy-synth in this repository: the default model. */
export const DEFAULT_MODEL_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../models/poppy-synth');

/**
 * Scans the job's image with the tiles package (`scanImages` in a thread of its own, progress per tile row)
 * into `<dataDir>/scans/<job id>/`, then imports that folder into the workspace. A restarted job
 * starts its scan folder afresh; the import is idempotent (same candidates → nothing new), so a
 * job interrupted after its import and run again adds nothing twice.
 */
export function defaultScanRunner(ctx: ServerContext): ScanRunner {
  return async (job, { onProgress, signal }) => {
    const outDir = path.join(ctx.options.dataDir, 'scans', job.id);
    fs.rmSync(outDir, { recursive: true, force: true });
    const modelDir = ctx.options.modelDir ?? DEFAULT_MODEL_DIR;
    // In a thread of its own: the server keeps answering while the scan runs.
    const quality = workspaceScanQuality(workspaceOf(ctx));
    const summary = await scanInThread(
      { images: [job.imagePath], modelDir, outDir, ...(quality !== undefined ? { quality } : {}) },
      (p) =>
        onProgress({
          tilesDone: p.tilesDone,
          tilesTotal: p.tilesTotal,
          pixelsDone: p.mpxDone * 1e6,
          ...(p.phase === 'verify' ? { windowsDone: p.windowsDone, windowsTotal: p.windowsTotal } : {}),
        }),
      signal,
    );
    if (summary.failed.length > 0 || !summary.out_dir) throw new Error(summary.failed.map((f) => f.message).join('; ') || '扫描失败 scan failed');
    const imported = await importScanDir(workspaceOf(ctx), outDir, job.uploadedBy || 'server', { signal });
    return {
      scanDir: outDir,
      candidates: summary.candidates,
      imageId: imported.imagesAdded[0] ?? null,
      scanId: null,
      imported: true,
      summary: summary as unknown as Record<string, unknown>,
    };
  };
}
