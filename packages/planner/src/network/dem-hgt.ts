import { unzipSync } from 'fflate';
import { PlannerError } from '../errors';
import type { ElevationAt } from './terrain';

/**
 * Ground heights from an SRTM tile (`N42E001.hgt`, or the same zipped): big-endian 16-bit heights on a
 * 1201² (3″) or 3601² (1″) grid, rows north to south, the tile's south-west corner named in the file name.
 * Bilinear between posts; NaN outside the tile and next to voids (−32768).
 * @throws PlannerError TIANDI_E_DEM naming `name` when the size or the name does not fit.
 */
export function elevationFromHgt(bytes: Uint8Array, name: string): ElevationAt {
  let data = bytes;
  let tileName = name;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const files = unzipSync(bytes, { filter: (f) => /\.hgt$/i.test(f.name) });
    const entry = Object.keys(files)[0];
    if (!entry) throw new PlannerError('TIANDI_E_DEM', `${name}: 压缩包里没有 .hgt 文件 the zip holds no .hgt tile`);
    data = files[entry];
    tileName = entry;
  }
  const m = /([NS])(\d{1,2})([EW])(\d{1,3})[^/\\]*\.hgt/i.exec(tileName.split(/[/\\]/).pop()!);
  if (!m) throw new PlannerError('TIANDI_E_DEM', `${name}: 文件名应如 N42E001.hgt the SRTM tile's name must say its corner, like N42E001.hgt`);
  const lat0 = Number(m[2]) * (m[1].toUpperCase() === 'S' ? -1 : 1);
  const lon0 = Number(m[4]) * (m[3].toUpperCase() === 'W' ? -1 : 1);
  const size = Math.round(Math.sqrt(data.length / 2));
  if (size * size * 2 !== data.length || (size !== 1201 && size !== 3601))
    throw new PlannerError('TIANDI_E_DEM', `${name}: 不是 SRTM 高程瓦片 not an SRTM tile (${data.length} bytes; expected 1201² or 3601² 16-bit heights)`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const post = (r: number, c: number): number => view.getInt16(2 * (r * size + c), false);
  const step = size - 1;
  return (lon, lat) => {
    const x = (lon - lon0) * step,
      y = (lat0 + 1 - lat) * step;
    if (!(x >= 0 && y >= 0 && x <= step && y <= step)) return NaN;
    const c = Math.min(step - 1, Math.floor(x)),
      r = Math.min(step - 1, Math.floor(y));
    const fx = x - c,
      fy = y - r;
    const h00 = post(r, c),
      h01 = post(r, c + 1),
      h10 = post(r + 1, c),
      h11 = post(r + 1, c + 1);
    if (h00 === -32768 || h01 === -32768 || h10 === -32768 || h11 === -32768) return NaN;
    return (h00 * (1 - fx) + h01 * fx) * (1 - fy) + (h10 * (1 - fx) + h11 * fx) * fy;
  };
}
