import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, type Command, fail } from '../command';

const usage = `用法 Usage:
  tiandi synth scene --seed <n> [--gsd 0.05] [--crs EPSG:4522] [--size 4096] [--height <px>]
                     [--centre <lon,lat>] [--plots-per-ha 2.5] [--lossless] --out <dir>
  tiandi synth demo  [--seeds <dir>]

生成合成农田影像（含罂粟地块与真值）。Generate synthetic farmland orthophotos with poppy plots:
  scene  写出 <out>/scene-<seed>.tif（COG）与 scene-<seed>.truth.geojson（WGS 84 真值 ground truth）
  demo   生成演示影像 generate the demo survey's flight blocks into seeds/.generated/ (if not there yet)
`;

const FLAGS = {
  seed: { type: 'string' },
  gsd: { type: 'string' },
  crs: { type: 'string' },
  size: { type: 'string' },
  height: { type: 'string' },
  centre: { type: 'string' },
  'plots-per-ha': { type: 'string' },
  lossless: { type: 'boolean' },
  out: { type: 'string', short: 'o' },
  seeds: { type: 'string' },
} as const;

const synth: Command = {
  summary: '生成合成影像与真值 Generate synthetic survey imagery with ground truth',
  usage,
  async run(argv, io) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: FLAGS });
    } catch (err) {
      return fail(io, 'synth', `${(err as Error).message}. Run 'tiandi synth --help'.`);
    }
    const { values: v, positionals } = parsed;
    const action = positionals[0];
    if (action === 'demo') return demo(v.seeds, io);
    if (action !== 'scene') return fail(io, 'synth', `未知操作 unknown action '${action ?? ''}'; use scene or demo.`);
    if (!v.out) return fail(io, 'synth', '缺少 --out missing --out <dir>.');
    if (v.seed === undefined || !/^\d+$/.test(v.seed)) return fail(io, 'synth', '缺少或无效 --seed: give a non-negative integer seed.');
    let input;
    try {
      input = sceneInput(v);
    } catch (err) {
      return fail(io, 'synth', `${(err as Error).message}.`);
    }
    return scene(input, v.out, !!v.lossless, io);
  },
};

type Io = Parameters<Command['run']>[1];

/** demo: generates the demo survey's flight blocks (if not there yet) and lists them. */
async function demo(seeds: string | undefined, io: Io): Promise<number> {
  const { ensureDemoImagery } = await import('@tiandi/synth/node');
  const t0 = Date.now();
  const imgs = await ensureDemoImagery({
    seedsDir: seeds ? path.resolve(io.cwd, seeds) : undefined,
    signal: io.signal,
    onProgress: (p) => {
      if (io.stderr.isTTY) io.stderr.write(`\r${p.block} ${Math.round((100 * p.rowsDone) / p.rowsTotal)}%`);
    },
  });
  if (io.stderr.isTTY) io.stderr.write('\n');
  for (const i of imgs) io.stdout.write(`${i.id}\t${i.widthPx}×${i.heightPx}\t${i.gsdM} m\t${i.crs}\t${path.relative(io.cwd, i.path)}\n`);
  io.stdout.write(`演示影像就绪 demo imagery ready (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  return EXIT.ok;
}

/** The scene options given on the command line (absent ones left to the schema's defaults); throws naming a bad flag. */
function sceneInput(v: {
  seed?: string;
  gsd?: string;
  crs?: string;
  size?: string;
  height?: string;
  centre?: string;
  'plots-per-ha'?: string;
}): Record<string, unknown> {
  const num = (s: string | undefined, name: string): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n)) throw new Error(`--${name} '${s}' is not a number`);
    return n;
  };
  const centre = v.centre?.split(',').map(Number);
  if (centre && (centre.length !== 2 || centre.some((c) => !Number.isFinite(c)))) throw new Error(`--centre '${v.centre}' must be <lon,lat>`);
  const input = {
    seed: Number(v.seed),
    gsdM: num(v.gsd, 'gsd'),
    crs: v.crs,
    widthPx: num(v.size, 'size'),
    heightPx: num(v.height, 'height'),
    centreLonLat: centre as [number, number] | undefined,
    plotsPerHa: num(v['plots-per-ha'], 'plots-per-ha'),
  };
  return Object.fromEntries(Object.entries(input).filter(([, x]) => x !== undefined));
}

/** scene: writes the COG and its truth, and prints both paths with the scene's size, GSD, CRS and plot count. */
async function scene(input: Record<string, unknown>, out: string, lossless: boolean, io: Io): Promise<number> {
  const { writeScene } = await import('@tiandi/synth/node');
  const { SynthError } = await import('@tiandi/synth');
  const { CrsError } = await import('@tiandi/geo');
  try {
    const t0 = Date.now();
    const w = await writeScene(input as never, path.resolve(io.cwd, out), { compression: lossless ? 'deflate' : 'jpeg', signal: io.signal });
    const plots = w.scene.truth.features.filter((f) => f.properties.class === 'poppy').length;
    const o = w.scene.options;
    io.stdout.write(
      `${path.relative(io.cwd, w.tifPath)}\t${o.widthPx}×${o.heightPx} px\t${o.gsdM} m\t${w.scene.georef.crs.id}\t${plots} poppy plots\t${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    io.stdout.write(`${path.relative(io.cwd, w.truthPath)}\n`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof SynthError || err instanceof CrsError) return fail(io, 'synth', err.message);
    throw err;
  }
}

export default synth;
