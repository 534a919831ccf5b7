import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LonLat } from '@tiandi/geo';
import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { buildNetwork, metresPerDegree } from '../network/build-network';
import { gridRoads } from '../network/grid-roads';
import { planRoutes } from '../plan/plan-routes';
import type { Plan } from '../plan/plan-types';
import { planToCsv } from './plan-to-csv';
import { planToGeoJson } from './plan-to-geojson';
import { planToGpx } from './plan-to-gpx';
import { planToKml } from './plan-to-kml';

const O: LonLat = [102.26, 27.86];
const { kx, ky } = metresPerDegree(O[1]);
const at = (x: number, y: number): LonLat => [O[0] + x / kx, O[1] + y / ky];
const net = buildNetwork(gridRoads({ origin: O, nx: 5, ny: 5, spacingM: 400 }));
const plan: Plan = planRoutes(
  {
    targets: [
      ...Array.from({ length: 8 }, (_, i) => ({
        id: `T${i + 1}`,
        lonLat: at(100 + 180 * i, 50 + 170 * (i % 4)),
        priority: 1,
        serviceS: 600,
        areaM2: 120 + i,
        info: { village: '依洛村', score: 0.81, model: 'poppy-synth 1.0' },
      })),
      { id: 'far "away", 远', lonLat: at(30000, 0), priority: 2, serviceS: 600 },
    ],
    teams: [
      { id: 'A', name: '一组', start: at(800, 800), shiftS: 6 * 3600 },
      { id: 'B', start: at(800, 800), shiftS: 6 * 3600 },
    ],
    network: net,
    date: '2026-04-10',
  },
  { maxIterations: 200, seed: 1 },
);

type El = { nodeName: string; childNodes: Iterable<El>; nodeType: number; getAttribute(n: string): string | null; textContent: string | null };
const kids = (e: El, name?: string): El[] => [...e.childNodes].filter((c) => c.nodeType === 1 && (!name || c.nodeName === name));

// The GPX 1.1 schema's element order for the parts we write (topografix.com/GPX/1/1/gpx.xsd).
const ORDER: Record<string, string[]> = {
  gpx: ['metadata', 'wpt', 'rte', 'trk', 'extensions'],
  metadata: ['name', 'desc', 'author', 'copyright', 'link', 'time', 'keywords', 'bounds', 'extensions'],
  wpt: [
    'ele',
    'time',
    'magvar',
    'geoidheight',
    'name',
    'cmt',
    'desc',
    'src',
    'link',
    'sym',
    'type',
    'fix',
    'sat',
    'hdop',
    'vdop',
    'pdop',
    'ageofdgpsdata',
    'dgpsid',
    'extensions',
  ],
  rte: ['name', 'cmt', 'desc', 'src', 'link', 'number', 'type', 'extensions', 'rtept'],
  trk: ['name', 'cmt', 'desc', 'src', 'link', 'number', 'type', 'extensions', 'trkseg'],
  trkseg: ['trkpt', 'extensions'],
};
ORDER.rtept = ORDER.wpt;
ORDER.trkpt = ORDER.wpt;

function checkGpxStructure(e: El): void {
  const order = ORDER[e.nodeName];
  expect(order, `unexpected element <${e.nodeName}>`).toBeDefined();
  if (['wpt', 'rtept', 'trkpt'].includes(e.nodeName)) {
    const lat = Number(e.getAttribute('lat'));
    const lon = Number(e.getAttribute('lon'));
    expect(lat).toBeGreaterThanOrEqual(-90);
    expect(lat).toBeLessThanOrEqual(90);
    expect(lon).toBeGreaterThanOrEqual(-180);
    expect(lon).toBeLessThan(180);
  }
  let last = -1;
  for (const c of kids(e)) {
    const i = order.indexOf(c.nodeName);
    expect(i, `<${c.nodeName}> not allowed in <${e.nodeName}>`).toBeGreaterThanOrEqual(0);
    expect(i, `<${c.nodeName}> out of order in <${e.nodeName}>`).toBeGreaterThanOrEqual(last);
    last = i;
    if (ORDER[c.nodeName]) checkGpxStructure(c);
    if (c.nodeName === 'time') expect(c.textContent).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  }
}

describe('exports', () => {
  it('routes.gpx is GPX 1.1 with a waypoint per stop, a route and a track per team', () => {
    const gpx = planToGpx(plan);
    const root = create(gpx).root().node as unknown as El;
    expect(root.nodeName).toBe('gpx');
    expect(root.getAttribute('version')).toBe('1.1');
    expect(root.getAttribute('xmlns')).toBe('http://www.topografix.com/GPX/1/1');
    expect(root.getAttribute('creator')).toBeTruthy();
    // Structural check against the schema's element order and value ranges (always run) …
    checkGpxStructure(root);
    const stops = plan.routes.flatMap((r) => r.stops);
    expect(kids(root, 'wpt').length).toBe(stops.length);
    expect(kids(root, 'rte').length).toBe(plan.routes.length);
    expect(kids(root, 'trk').length).toBe(plan.routes.length);
    const firstRte = kids(root, 'rte')[0];
    expect(kids(firstRte, 'rtept').length).toBe(plan.routes[0].stops.length);
    const trkpts = kids(kids(kids(root, 'trk')[0], 'trkseg')[0], 'trkpt');
    expect(trkpts.length).toBe(plan.routes[0].path.length);
    expect(Number(trkpts[0].getAttribute('lon'))).toBeCloseTo(plan.routes[0].path[0][0], 9);
  });

  // Full XSD validation with xmllint (Debian's libxml2-utils, installed by .ci/run) against the GPX 1.1
  // schema in packages/planner/test/gpx-1.1.xsd (GPX_XSD=/path/gpx.xsd points at another copy).
  const xsd = process.env.GPX_XSD ?? fileURLToPath(new URL('../../test/gpx-1.1.xsd', import.meta.url));
  const xsdValid = (xml: string): { ok: boolean; why: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-gpx-'));
    writeFileSync(join(dir, 'routes.gpx'), xml);
    try {
      execFileSync('xmllint', ['--noout', '--schema', xsd, join(dir, 'routes.gpx')], { stdio: 'pipe' });
      return { ok: true, why: '' };
    } catch (e) {
      return { ok: false, why: String((e as { stderr?: Buffer }).stderr ?? e) };
    }
  };
  if (!hasXmllint() || !existsSync(xsd)) console.warn('⚠ skipped: GPX XSD validation needs xmllint (apt-get install libxml2-utils)');
  it.skipIf(!hasXmllint() || !existsSync(xsd))('routes.gpx validates against the GPX 1.1 schema, and the check refuses a GPX with misplaced elements', () => {
    const gpx = planToGpx(plan);
    const good = xsdValid(gpx);
    expect(good.why).toBe('');
    expect(good.ok).toBe(true);
    // A route point before the route's name breaks the schema's order: the validator must notice.
    const broken = gpx.replace(/<rte>\s*<name>([^<]*)<\/name>/, (_m, name) => `<rte><rtept lat="27.9" lon="102.3"/><name>${name}</name>`);
    expect(broken).not.toBe(gpx);
    expect(xsdValid(broken).ok).toBe(false);
  });

  it('routes.geojson parses back with a line per route, every stop and every unassigned target', () => {
    const fc = JSON.parse(JSON.stringify(planToGeoJson(plan)));
    const of = (kind: string) => fc.features.filter((f: { properties: { kind: string } }) => f.properties.kind === kind);
    expect(of('route').length).toBe(plan.routes.length);
    expect(of('route')[0].geometry.coordinates).toEqual(plan.routes[0].path);
    expect(of('stop').length).toBe(plan.objective.served);
    expect(of('unassigned').map((f: { properties: { reason: string } }) => f.properties.reason)).toEqual(['UNREACHABLE_FAR']);
    expect(of('depot').length).toBe(1);
  });

  it('routes.kml parses back to the same placemarks and coordinates', () => {
    const kml = planToKml(plan);
    const doc = create(kml).end({ format: 'object' }) as {
      kml: { Document: { Placemark: { name?: string; LineString?: { coordinates: string }; Point?: { coordinates: string } }[] } };
    };
    const pms = doc.kml.Document.Placemark;
    const fc = planToGeoJson(plan);
    expect(pms.length).toBe(fc.features.length);
    const line = pms.find((p) => p.LineString)!;
    const coords = line
      .LineString!.coordinates.trim()
      .split(/\s+/)
      .map((c) => c.split(',').map(Number));
    expect(coords.length).toBe(plan.routes[0].path.length);
    expect(coords[0][0]).toBeCloseTo(plan.routes[0].path[0][0], 6);
    expect(pms.some((p) => p.name === '1. 依洛村 ' + plan.routes[0].stops[0].targetId)).toBe(true);
  });

  it('stops.csv lists every stop in order with times and a GCJ-02 Gaode link, then the unassigned', () => {
    const csv = planToCsv(plan);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.startsWith('\uFEFF\uFEFF')).toBe(false); // exactly one BOM
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines.length).toBe(1 + plan.objective.served + plan.unassigned.length);
    const first = splitCsv(lines[1]);
    expect(first[0]).toBe('一组');
    expect(first[3]).toBe('1');
    expect(first[4]).toBe(plan.routes[0].stops[0].targetId);
    expect(first[7]).toMatch(/^\d\d:\d\d$/);
    expect(first.slice(13, 17)).toEqual(['依洛村', String(120 + Number(first[4].slice(1)) - 1), '0.81', 'poppy-synth 1.0']);
    expect(first[17]).toMatch(/罂粟.*score 0\.81.*look for/);
    expect(first[18]).toContain('coordinate=gaode');
    expect(lines[lines.length - 1]).toContain('"far ""away"", 远"');
  });
});

function splitCsv(line: string): string[] {
  const out: string[] = [];
  const re = /("([^"]|"")*"|[^,]*)(,|$)/g;
  for (let m = re.exec(line); m && m[0] !== ''; m = re.exec(line)) out.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
  return out;
}

function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('stop details in every export', () => {
  it('carries village, area, score, model and what to look for in GPX, GeoJSON and KML descriptions', () => {
    const gpx = planToGpx(plan);
    expect(gpx).toMatch(/<name>一组 D1 1 依洛村 T\d<\/name>/);
    expect(gpx).toMatch(/<desc>[^<]*罂粟[^<]*score 0\.81[^<]*model poppy-synth 1\.0/);
    const stop = planToGeoJson(plan).features.find((f) => f.properties.kind === 'stop')!;
    expect(stop.properties).toMatchObject({ village: '依洛村', score: 0.81, model: 'poppy-synth 1.0' });
    expect(String(stop.properties.description)).toContain('look for');
    const kml = planToKml(plan);
    expect(kml).toMatch(/<description>[^<]*look for/);
    expect(kml).toContain('依洛村');
  });
});
