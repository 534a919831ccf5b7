import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './workspace-command';

/**
 * The GeoTIFFs of a folder (not recursive), findable by content (sha256, as the workspace records each image)
 * or else by file name: an office may have renamed or moved its imagery since the scan.
 */
export async function imageFinder(folder: string): Promise<(imageId: string, sha256: string | null) => string | undefined> {
  let files: string[];
  try {
    if (!statSync(folder).isDirectory()) throw new Error();
    files = readdirSync(folder)
      .filter((n) => /\.tiff?$/i.test(n))
      .sort()
      .map((n) => path.join(folder, n));
  } catch {
    throw new UsageError(folder, "不是可读的文件夹 --images must be a readable folder holding the workspace's GeoTIFFs");
  }
  const { fileSha256 } = await import('@tiandi/tiles/node');
  const bySha = new Map<string, string>(),
    byName = new Map<string, string>();
  for (const f of files) {
    bySha.set(await fileSha256(f), f);
    byName.set(path.basename(f), f);
  }
  return (imageId, sha256) => (sha256 && bySha.get(sha256)) || byName.get(path.basename(imageId));
}
