import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Season } from '@tiandi/geo';

/** The workspace's season (the latest set), or undefined when it has none yet. */
export async function workspaceSeason(file: string): Promise<Season | undefined> {
  const { Workspace, currentSeason } = await import('@tiandi/store');
  const ws = Workspace.open(file);
  try {
    return currentSeason(ws);
  } finally {
    ws.close();
  }
}

/**
 * What the operator must know before counting on a scan: images coarser than the season's max GSD, or taken
 * outside its flowering window, will not count as coverage (read from the scan's footprint.geojson).
 */
export async function seasonWarnings(outDir: string, season: Season): Promise<string[]> {
  const fc = JSON.parse(await readFile(path.join(outDir, 'footprint.geojson'), 'utf8')) as {
    features: { properties: { image: string; gsd_m: number; acquired?: string } }[];
  };
  const out: string[] = [];
  for (const { properties: p } of fc.features) {
    if (p.gsd_m > season.policy.maxGsdM) {
      out.push(
        `${p.image}: 地面分辨率 ${p.gsd_m} m 粗于调查季上限 ${season.policy.maxGsdM} m，不计入覆盖 GSD ${p.gsd_m} m is coarser than season ${season.id}'s max_gsd_m ${season.policy.maxGsdM} m: it will not count as coverage`,
      );
    }
    const day = p.acquired?.slice(0, 10);
    if (!day) {
      out.push(
        `${p.image}: 文件无拍摄日期 the file has no acquisition date (TIFF DateTime): coverage cannot check it against the flowering window ${season.floweringStart}–${season.floweringEnd}`,
      );
    } else if (day < season.floweringStart || day > season.floweringEnd) {
      out.push(
        `${p.image}: 拍摄于 ${day}，不在花期 ${season.floweringStart}–${season.floweringEnd} 内，不计入覆盖 acquired ${day}, outside season ${season.id}'s flowering window: it will not count as coverage`,
      );
    }
  }
  return out;
}
