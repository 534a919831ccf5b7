import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tiandi } from './helpers/run-tiandi';
import { ensureDemoImagery } from '@tiandi/synth/node';

// The demo survey through the real pipeline: seeds → `tiandi scan` (the tiny redness test model: its
// candidates are not meant to be right, only real scan output) → `tiandi scans import` → coverage →
// ground reports built from the block's ground truth (so some poppy no scan flagged turns up) → certify.

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the demo survey in a workspace', () => {
  it('scans a flight block, records it, reconciles truth-based reports and refuses to certify with reasons', async () => {
    const images = await ensureDemoImagery();
    const block = images.find((b) => b.file === 'block-2.tif')!;
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-demo-ws-'));
    const ws = ['--workspace', join(dir, 'demo.gpkg')];
    expect((await tiandi(dir, 'init', ...ws)).code).toBe(0);
    expect((await tiandi(dir, 'zones', 'import', join(root, 'seeds/zones.geojson'), ...ws)).out).toMatch(/8 新增 added/);
    expect((await tiandi(dir, 'season', 'set', join(root, 'seeds/season.json'), ...ws)).code).toBe(0);

    const scan = await tiandi(
      dir,
      'scan',
      block.path,
      '--model',
      join(root, 'packages/tiles/fixtures/models/redness-seg'),
      '--out',
      join(dir, 'scan'),
      '--workers',
      '0',
      '--json',
    );
    expect(scan.code).toBe(0);
    const summary = JSON.parse(scan.out);
    const imported = await tiandi(dir, 'scans', 'import', join(dir, 'scan'), ...ws);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain(`1 影像 images, ${summary.candidates} 候选 candidates`);
    expect((await tiandi(dir, 'scans', 'import', join(dir, 'scan'), ...ws)).out).toMatch(/nothing changed/);

    const cov = JSON.parse((await tiandi(dir, 'coverage', '--zone', block.village, '--json', ...ws)).out);
    expect(cov.used_images).toEqual(['block-2.tif']);
    expect(cov.share).toBeGreaterThan(0.02);
    expect(cov.share).toBeLessThan(0.98);

    // Ground teams visit the block's true poppy plots (positions from the synthetic ground truth).
    const truth = JSON.parse(readFileSync(block.truthPath, 'utf8')) as {
      features: { properties: { class: string; id: string; area_m2: number }; geometry: { coordinates: number[][][] } }[];
    };
    const poppy = truth.features.filter((f) => f.properties.class === 'poppy').slice(0, 5);
    const rows = poppy.map((f, i) => {
      const ring = f.geometry.coordinates[0];
      const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length,
        lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
      return `truth-${f.properties.id},,confirmed_poppy,,${lon.toFixed(8)},${lat.toFixed(8)},3,2026-04-20T0${i}:00:00+08:00,一组,,${f.properties.area_m2},,`;
    });
    writeFileSync(
      join(dir, 'day1.csv'),
      ['report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes', ...rows].join('\n'),
    );
    const rep = await tiandi(dir, 'reports', 'import', 'day1.csv', ...ws);
    expect(rep.code).toBe(0);
    expect(rep.out).toContain(`${poppy.length} 条已保存 stored`);

    const cert = await tiandi(dir, 'certify', '--zone', block.village, '--sign', '演示 demo', ...ws);
    expect(cert.code).toBe(1);
    expect(cert.err).toMatch(/not certifiable: coverage, .*eradication_verified/);
    const labels = await tiandi(dir, 'targets', 'labels', '--out', 'labels.geojson', ...ws);
    expect(labels.out).toMatch(/poppy [1-9]/);
    expect((await tiandi(dir, 'audit', 'verify', ...ws)).code).toBe(0);
  }, 300_000);
});
