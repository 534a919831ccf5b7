/**
 * A large orthophoto of REAL content for the scan bench: the real-aerial tiles (0.1 m, 400 × 400 px, no poppy; see
 * ../shared/real-aerial/README.md) laid side by side in a `side` × `side` grid, as a GDAL VRT, then written by
 * gdal_translate with the given creation options. The bench's own files are synthetic farmland, where the first
 * stage flags a quarter of the land; on real forest and savanna it flags more, and the second stage judges tens of
 * thousands of candidates (48 297 on 1.6 Gpx): that is the load a reviewer's real orthophoto brings.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TILE = 400;

/** The VRT text: the tiles in a fixed, mixed order (neighbours from different tiles), UTM 18N at 0.1 m. */
export function mosaicVrt(tiles: string[], side: number): string {
  const n = Math.floor(side / TILE);
  const out = [
    `<VRTDataset rasterXSize="${n * TILE}" rasterYSize="${n * TILE}">`,
    '<SRS dataAxisToSRSAxisMapping="1,2">EPSG:32618</SRS>',
    '<GeoTransform>732000, 0.1, 0, 4714000, 0, -0.1</GeoTransform>',
  ];
  for (const [band, colour] of [
    [1, 'Red'],
    [2, 'Green'],
    [3, 'Blue'],
  ] as const) {
    out.push(`<VRTRasterBand dataType="Byte" band="${band}"><ColorInterp>${colour}</ColorInterp>`);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) {
        const tile = tiles[(r * 7 + c * 3 + Math.floor(r / tiles.length)) % tiles.length];
        out.push(
          `<SimpleSource><SourceFilename relativeToVRT="0">${tile}</SourceFilename><SourceBand>${band}</SourceBand>` +
            `<SrcRect xOff="0" yOff="0" xSize="${TILE}" ySize="${TILE}"/><DstRect xOff="${c * TILE}" yOff="${r * TILE}" xSize="${TILE}" ySize="${TILE}"/></SimpleSource>`,
        );
      }
    out.push('</VRTRasterBand>');
  }
  out.push('</VRTDataset>');
  return out.join('\n');
}

/**
 * Writes `to` from the tiles in `realDir` (if it does not exist yet) and returns it; undefined when there are no
 * tiles. `translate` runs gdal_translate with its arguments.
 */
export function ensureRealMosaic(realDir: string, to: string, side: number, translate: (args: string[]) => void, co: string[]): string | undefined {
  if (existsSync(to)) return to;
  const tiles = existsSync(realDir) ? readdirSync(realDir).filter((f) => /\.tif$/i.test(f)) : [];
  if (!tiles.length) return undefined;
  const vrt = `${to}.vrt`;
  writeFileSync(
    vrt,
    mosaicVrt(
      tiles.sort().map((f) => join(realDir, f)),
      side,
    ),
  );
  translate([...co, vrt, to]);
  return to;
}
