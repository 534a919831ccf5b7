import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildNetwork } from './build-network';
import { waysFromOsm } from './osm-ways';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="27.900" lon="102.300"/>
  <node id="2" lat="27.900" lon="102.310"/>
  <node id="3" lat="27.910" lon="102.310"/>
  <node id="4" lat="27.890" lon="102.310"/>
  <node id="5" lat="27.900" lon="102.320"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="5"/><tag k="highway" v="residential"/><tag k="name" v="村道 &amp; lane"/></way>
  <way id="11"><nd ref="3"/><nd ref="2"/><nd ref="4"/><tag k="highway" v="track"/></way>
  <way id="12"><nd ref="1"/><nd ref="3"/><tag k="waterway" v="stream"/></way>
  <way id="13"><nd ref="4"/><nd ref="99"/><nd ref="5"/><tag k="highway" v="path"/></way>
</osm>`;

describe('waysFromOsm', () => {
  it('reads highway ways from OSM XML with their node ids, and the same from gzip', () => {
    for (const bytes of [new TextEncoder().encode(XML), gzipSync(new TextEncoder().encode(XML))]) {
      const ways = waysFromOsm(bytes, 'x.osm');
      expect(ways.map((w) => w.id)).toEqual([10, 11, 13]); // the stream is not a road
      expect(ways[0].tags.name).toBe('村道 & lane');
      expect(ways[0].nodes).toEqual(['1', '2', '5']);
      expect(ways[0].coords[1]).toEqual([102.31, 27.9]);
      expect(ways[2].nodes).toEqual(['4', '5']); // a node outside the extract is dropped
      const net = buildNetwork({ ways });
      expect(net.nodeCount).toBe(5); // 1, 2 (junction), 5, 3, 4
      expect(net.edges.length).toBe(5);
    }
  });

  it('names the file when the bytes are not an OSM extract', () => {
    expect(() => waysFromOsm(new TextEncoder().encode('hello, not osm'), 'roads.bin')).toThrow(/roads\.bin.*OpenStreetMap/);
  });

  // A real extract (../shared/bench/osm, outside the repo): skipped where absent.
  const pbf = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/bench/osm/andorra.osm.pbf');
  it.skipIf(!existsSync(pbf))('reads Andorra from .osm.pbf into one mostly connected network', () => {
    const ways = waysFromOsm(readFileSync(pbf), 'andorra.osm.pbf');
    expect(ways.length).toBeGreaterThan(1500);
    expect(ways.every((w) => w.nodes && w.nodes.length === w.coords.length)).toBe(true);
    const net = buildNetwork({ ways });
    expect(net.excluded).toBeGreaterThan(0); // the ways under construction
    const main = [...net.sccOf].filter((c) => c === net.mainScc).length;
    expect(main / net.nodeCount).toBeGreaterThan(0.8);
  });
});
