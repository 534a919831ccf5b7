import { polygonsOf, type Polygonal } from './geojson';
import { geodesicAreaM2 } from './geodesic-area';

export interface GapsKmlOptions {
  /** Document name shown in DJI Pilot 2 / Google Earth. */
  name: string;
  /** Gaps smaller than this are left out (slivers no one re-flies), m² (default 1). */
  minAreaM2?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Coverage gaps as KML polygons (WGS 84, lon,lat,0), one Placemark per gap, largest first. DJI Pilot 2 imports
 * a KML polygon as a mapping-mission area; it takes outer boundaries only, so holes are dropped (the island
 * inside a gap is flown again, which costs a little time and misses nothing).
 */
export function gapsToKml(gaps: Polygonal | null, opts: GapsKmlOptions): { kml: string; count: number } {
  const min = opts.minAreaM2 ?? 1;
  const parts = gaps
    ? polygonsOf(gaps)
        .map((p) => ({ ring: p[0], areaM2: geodesicAreaM2({ type: 'Polygon', coordinates: [p[0]] }) }))
        .filter((p) => p.areaM2 >= min)
        .sort((a, b) => b.areaM2 - a.areaM2)
    : [];
  const placemarks = parts.map((p, i) => {
    const coords = p.ring.map(([lon, lat]) => `${lon.toFixed(8)},${lat.toFixed(8)},0`).join(' ');
    return `    <Placemark>
      <name>${esc(opts.name)} gap ${i + 1}</name>
      <description>${Math.round(p.areaM2)} m²</description>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>${coords}</coordinates></LinearRing></outerBoundaryIs></Polygon>
    </Placemark>`;
  });
  const kml = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>${esc(opts.name)}</name>
${placemarks.join('\n')}
  </Document>
</kml>
`;
  return { kml, count: parts.length };
}
