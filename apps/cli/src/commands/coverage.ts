import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, type Command } from '../command';
import { UsageError, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage: tiandi coverage --zone <id> [--season <id>] [--export gaps.kml [--split]] [--min-gap-m2 <m²>] [--json] [--workspace <file>]

区划在调查季内被有效影像（花期内、GSD 不超过上限）覆盖的比例与缺口。--export 把缺口写成 KML 多边形，
DJI Pilot 2 可作为测绘航线区域导入，补飞缺口。
Share of the zone covered by valid imagery (inside the flowering window, at or below the maximum GSD) and
the gaps. --export writes the gaps as KML polygons that DJI Pilot 2 imports as mapping-mission areas;
--split also writes one file per gap (gaps-1.kml, gaps-2.kml …, largest first), one mission each.
`;

const coverage: Command = {
  summary: '影像覆盖率与缺口 Coverage share and gaps (KML for DJI Pilot 2)',
  usage,
  async run(argv, io) {
    return runCommand(io, 'coverage', async () => {
      const { values } = parseFlags('coverage', argv, {
        zone: { type: 'string' },
        season: { type: 'string' },
        export: { type: 'string' },
        'min-gap-m2': { type: 'string' },
        json: { type: 'boolean' },
        split: { type: 'boolean' },
      });
      if (!values.zone) throw new UsageError('coverage', '缺少 --zone missing --zone <id> (see tiandi zones list)');
      const minGap = values['min-gap-m2'] === undefined ? 1 : Number(values['min-gap-m2']);
      if (!(minGap >= 0)) throw new UsageError('coverage', `--min-gap-m2 应为非负数 must be a number ≥ 0`);
      const { Workspace, zoneCoverage } = await import('@tiandi/store');
      const { gapsToKml, polygonsOf, geodesicAreaM2 } = await import('@tiandi/geo');
      const ws = Workspace.open(workspacePath(values.workspace, io));
      let r;
      try {
        r = zoneCoverage(ws, values.zone, values.season);
      } finally {
        ws.close();
      }
      const { zone, season, coverage: c } = r;
      const gaps = c.gaps
        ? polygonsOf(c.gaps)
            .map((p) => geodesicAreaM2({ type: 'Polygon', coordinates: p }))
            .filter((a) => a >= minGap)
        : [];
      if (values.json) {
        io.stdout.write(
          JSON.stringify({
            zone_id: zone.zoneId,
            season_id: season.id,
            share: c.share,
            zone_area_m2: c.zoneAreaM2,
            covered_area_m2: c.coveredAreaM2,
            gap_area_m2: c.gapAreaM2,
            gap_count: gaps.length,
            used_images: c.usedImageIds,
            rejected_images: c.rejected,
            gaps: c.gaps,
          }) + '\n',
        );
      } else {
        io.stdout.write(`${zone.zoneId} ${zone.name ?? ''} · 调查季 season ${season.id}\n`);
        io.stdout.write(
          `覆盖 Covered: ${(c.share * 100).toFixed(2)}% (${(c.coveredAreaM2 / 1e6).toFixed(4)} / ${(c.zoneAreaM2 / 1e6).toFixed(4)} km²), 要求 required ≥ ${(season.policy.minCoverageShare * 100).toFixed(1)}%\n`,
        );
        io.stdout.write(
          `缺口 Gaps: ${gaps.length} (${Math.round(c.gapAreaM2)} m²)\n影像 Images used: ${c.usedImageIds.length}; 未计入 not counted: ${c.rejected.map((x) => `${x.imageId} (${x.reason})`).join(', ') || '-'}\n`,
        );
      }
      if (values.export) {
        const out = path.resolve(io.cwd, values.export);
        const { kml, count } = gapsToKml(c.gaps, { name: `${zone.zoneId} ${season.id}`, minAreaM2: minGap });
        await writeFile(out, kml);
        io.stderr.write(`已写出 Wrote ${count} 个缺口多边形 gap polygons → ${rel(io, out)}\n`);
        if (values.split && c.gaps) {
          const parts = polygonsOf(c.gaps)
            .map((p) => ({ p, a: geodesicAreaM2({ type: 'Polygon', coordinates: [p[0]] }) }))
            .filter((x) => x.a >= minGap)
            .sort((x, y) => y.a - x.a);
          const ext = path.extname(out) || '.kml';
          for (let i = 0; i < parts.length; i++) {
            const one = out.slice(0, out.length - ext.length) + `-${i + 1}` + ext;
            await writeFile(
              one,
              gapsToKml({ type: 'Polygon', coordinates: parts[i].p }, { name: `${zone.zoneId} ${season.id} gap ${i + 1}`, minAreaM2: 0 }).kml,
            );
          }
          io.stderr.write(`已分别写出 Also wrote ${parts.length} files, one gap each\n`);
        }
      }
      return EXIT.ok;
    });
  },
};
export default coverage;
