import { readFile } from 'node:fs/promises';
import { DOMParser } from '@xmldom/xmldom';
import { kml } from '@tmcw/togeojson';
import { unzipSync, strFromU8 } from 'fflate';
import { StoreError } from '../errors';
import type { BoundaryFeature } from './boundary-file';

/** The KML text of a KMZ: its doc.kml, else the first .kml at the top, else the first anywhere. */
export function kmlOfKmz(bytes: Uint8Array, file: string): string {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => /\.kml$/i.test(f.name) });
  } catch (err) {
    throw new StoreError('TIANDI_E_INPUT', `KMZ 无法解压 cannot unzip the KMZ (${(err as Error).message}): export it again`, file);
  }
  const names = Object.keys(entries).sort((a, b) => a.split('/').length - b.split('/').length);
  const name = names.find((n) => /(^|\/)doc\.kml$/i.test(n)) ?? names[0];
  if (!name) throw new StoreError('TIANDI_E_INPUT', 'KMZ 中没有 KML the KMZ holds no .kml file', file);
  return strFromU8(entries[name]);
}

/** Placemarks of a KML as features (always WGS 84): name, description and ExtendedData become properties. */
export function featuresOfKml(text: string, file: string): { features: BoundaryFeature[]; fields: string[] } {
  const errors: string[] = [];
  const dom = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') errors.push(msg);
    },
  }).parseFromString(text, 'text/xml');
  if (errors.length || !dom.documentElement)
    throw new StoreError('TIANDI_E_INPUT', `KML 无法解析 cannot parse the KML (${errors[0] ?? 'empty'}): export it again`, file);
  const fc = kml(dom as unknown as Document);
  const features = fc.features.map((f) => ({
    geometry: f.geometry as BoundaryFeature['geometry'],
    properties: { ...(f.properties ?? {}) } as Record<string, unknown>,
  }));
  const fields = [...new Set(features.flatMap((f) => Object.keys(f.properties)))].filter(
    (k) => !/^(styleUrl|styleHash|styleMapHash|stroke|stroke-opacity|stroke-width|fill|fill-opacity|icon)$/.test(k),
  );
  return { features, fields };
}

/** Reads a `.kml` or `.kmz` (Google Earth, 奥维互动地图). */
export async function readKml(path: string, kmz: boolean): Promise<{ features: BoundaryFeature[]; fields: string[] }> {
  const bytes = await readFile(path);
  return featuresOfKml(kmz ? kmlOfKmz(bytes, path) : bytes.toString('utf8'), path);
}
