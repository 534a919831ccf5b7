declare module 'tiny-osmpbf' {
  /** Parses a whole `.osm.pbf` buffer into OSM JSON (`{ elements: [...] }`). */
  export default function parse(bytes: Uint8Array): { elements: unknown[] };
}
