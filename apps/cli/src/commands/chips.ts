import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, type Command, fail } from '../command';

const usage = `用法 Usage:
  tiandi chips export --image <orthophoto.tif> --labels <labels.geojson> --out <dir>
                      [--gsd 0.15] [--size 128] [--class-field class] [--positive poppy]
                      [--per-positive 3] [--random-per-ha 4] [--seed 1]

导出训练切片 Export labelled training chips from a GeoTIFF and polygon labels (GeoJSON, WGS 84):
  <out>/poppy/*.png (+ *.mask.png 覆盖度 coverage masks), <out>/background/*.png, <out>/manifest.geojson
  (每个切片的来源与范围 where each chip came from). 多幅影像可导出到同一目录 Several images may share one
  folder; train with: /usr/bin/python3 models/poppy-synth/train.py --chips <out>
`;

const chips: Command = {
  summary: '导出训练切片 Export labelled training chips for fine-tuning',
  usage,
  async run(argv, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          image: { type: 'string' },
          labels: { type: 'string' },
          out: { type: 'string', short: 'o' },
          gsd: { type: 'string' },
          size: { type: 'string' },
          'class-field': { type: 'string' },
          positive: { type: 'string' },
          'per-positive': { type: 'string' },
          'random-per-ha': { type: 'string' },
          seed: { type: 'string' },
        },
      });
    } catch (err) {
      return fail(io, 'chips', `${(err as Error).message}. Run 'tiandi chips --help'.`);
    }
    const { values: v, positionals } = parsed;
    if (positionals[0] !== 'export') return fail(io, 'chips', `未知操作 unknown action '${positionals[0] ?? ''}'; use export.`);
    for (const k of ['image', 'labels', 'out'] as const) if (!v[k]) return fail(io, 'chips', `缺少 --${k} missing --${k}.`);
    const image = path.resolve(io.cwd, v.image!),
      labelsPath = path.resolve(io.cwd, v.labels!);
    if (!fs.existsSync(image)) return fail(io, v.image!, '文件不存在 file not found.');
    let labels;
    try {
      labels = JSON.parse(fs.readFileSync(labelsPath, 'utf8'));
      if (labels?.type !== 'FeatureCollection' || !Array.isArray(labels.features)) throw new Error('not a GeoJSON FeatureCollection');
    } catch (err) {
      return fail(io, v.labels!, `标注无效 invalid labels: ${(err as Error).message}; give a GeoJSON FeatureCollection of polygons in WGS 84.`);
    }
    const nums: Record<string, number> = {};
    for (const [flag, key] of [
      ['gsd', 'gsdM'],
      ['size', 'sizePx'],
      ['per-positive', 'perPositive'],
      ['random-per-ha', 'randomPerHa'],
      ['seed', 'seed'],
    ] as const) {
      const s = v[flag];
      if (s === undefined) continue;
      const n = Number(s);
      if (!Number.isFinite(n)) return fail(io, 'chips', `--${flag} '${s}' is not a number.`);
      nums[key] = n;
    }
    const { exportChips } = await import('@tiandi/synth/node');
    const { SynthError } = await import('@tiandi/synth');
    try {
      const recs = await exportChips(
        image,
        labels,
        path.resolve(io.cwd, v.out!),
        {
          ...nums,
          ...(v['class-field'] ? { classField: v['class-field'] } : {}),
          ...(v.positive ? { positiveClass: v.positive } : {}),
        },
        { signal: io.signal },
      );
      const pos = recs.filter((r) => r.class !== 'background').length;
      io.stdout.write(
        `${recs.length} 切片 chips (${pos} poppy, ${recs.length - pos} background) → ${path.relative(io.cwd, path.resolve(io.cwd, v.out!)) || '.'}\n`,
      );
      return EXIT.ok;
    } catch (err) {
      if (err instanceof SynthError) return fail(io, v.image!, err.message);
      throw err;
    }
  },
};

export default chips;
