import { closestWord } from '@tiandi/geo';
import { z } from 'zod';
import { TilesError } from '../errors';
import { WINDOW_VIEWS } from '../verify/views';

const Channel = z.enum(['R', 'G', 'B']);

/** A windowed second-stage model: its folder (relative to the model folder), keep threshold and windows per candidate. */
const VerifierStage = z.object({
  model: z
    .string()
    .min(1)
    .regex(/^[^/\\]/, 'a folder name relative to the model folder'),
  threshold: z.number().min(0).max(1),
  max_windows: z.number().int().min(1).max(256).default(4),
});

/** The zod schema of `models/<name>/model.json` (docs/model-card.md); unknown keys are rejected. */
export const ModelCardSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'a semver version like 1.0.0'),
    task: z.enum(['tile-classifier', 'segmentation']),
    input: z
      .object({
        name: z.string().min(1),
        size: z.number().int().min(8).max(4096),
        channels: z.array(Channel).min(1).max(3),
        scale: z.number().positive().default(255),
        mean: z.array(z.number()),
        std: z.array(z.number().positive()),
        /**
         * The first stage (and the prefilter) may read a JPEG file without a coarse enough overview from its blocks
         * decoded 2, 4 or 8× smaller by libjpeg's scaled inverse DCT, instead of an area average of the full decode
         * (faster on long jobs; the pixels differ slightly). Default false.
         */
        jpeg_dct_scaling: z.boolean().optional(),
      })
      .strict(),
    output: z
      .object({
        name: z.string().min(1),
        activation: z.enum(['sigmoid', 'softmax', 'none']),
        stride: z.number().int().min(1).optional(),
      })
      .strict(),
    gsd_m: z.number().positive().max(10),
    tile_stride: z.number().int().min(1),
    classes: z.array(z.string().min(1)).min(1),
    positive_class: z.string().min(1),
    thresholds: z
      .object({
        high: z.number().min(0).max(1),
        low: z.number().min(0).max(1),
        min_area_m2: z.number().min(0),
        /** Candidates separated by at most this many heatmap cells are one candidate (default 0: none joined). */
        merge_gap_cells: z.number().int().min(0).max(8).optional(),
        /**
         * How those candidates join: "chain" (default: any part within the gap of any part of a group joins it, so
         * runs of parts become one), "nearest" (each part joins at most one larger neighbour, which joins nothing
         * itself: no chains), "pair" (as "nearest", and a part takes at most one other).
         */
        merge_join: z.enum(['chain', 'nearest', 'pair']).optional(),
        /**
         * What a kept candidate's outline keeps once the verifier has judged it: "traced" (default: every part),
         * "kept_parts" (the parts the verifier kept), "seen_parts" (the parts a window it kept lies over: its kept parts
         * and any neighbour such a window saw), "kept_windows" (the cells under the windows it kept them on).
         */
        outline: z.enum(['traced', 'kept_parts', 'seen_parts', 'kept_windows']).optional(),
        /**
         * Bounds a single part to its peak's response: it grows only through cells scoring at least this share of its
         * own peak (and `low`); seeds are taken highest first. Default: grow through every cell at least `low`.
         */
        growth_peak_share: z.number().gt(0).max(1).optional(),
        /** Bounds a single part's size: it grows highest-scoring cell first and stops at this many m² (default: no bound). */
        max_part_m2: z.number().positive().optional(),
      })
      .strict(),
    training: z
      .object({
        data: z.string(),
        warning: z.string().optional(),
        recipe: z.string().optional(),
        command: z.string().optional(),
        seed: z.number().optional(),
      })
      .strict(),
    metrics: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).optional(),
    /**
     * Optional second stage: a tile-classifier (its own folder with model.json + model.onnx, usually at a finer
     * GSD) that looks again at up to `max_windows` windows centred on each candidate's strongest cells; a
     * candidate is kept when its best window scores at least `threshold`.
     */
    verifier: VerifierStage.extend({
      /**
       * The coarsest imagery the verifier can judge (default 2.5 × its own GSD): candidates in coarser imagery
       * are kept and marked `unverified`. Compared with 1 % of slack, so a GSD measured on the ground a few
       * parts per thousand over it (projection scale) still counts as within.
       */
      max_gsd_m: z.number().positive().optional(),
      /**
       * Optional calibration of the verifier's best window score into the share of candidates so scored that
       * were poppy on the eval set: a monotone piecewise-linear map through (`scores[i]`, `probabilities[i]`),
       * written into each candidate as `p_poppy`.
       */
      calibration: z
        .object({
          method: z.string().min(1),
          scores: z.array(z.number().min(0).max(1)).min(2),
          probabilities: z.array(z.number().min(0).max(1)).min(2),
          data: z.string().optional(),
        })
        .strict()
        .refine(
          (c) =>
            c.scores.length === c.probabilities.length &&
            c.scores.every((v, i) => i === 0 || v >= c.scores[i - 1]) &&
            c.probabilities.every((v, i) => i === 0 || v >= c.probabilities[i - 1]),
          {
            message: 'scores and probabilities must be equally long and non-decreasing',
          },
        )
        .optional(),
      /**
       * Optional cheaper first look (usually a tile-classifier at a coarser GSD, reading what the first stage
       * already decoded): candidates whose best prefilter window scores below its threshold are dropped
       * without the verifier reading their full-resolution windows. With `narrow`, the verifier then looks only
       * inside the prefilter's passing windows, not at the whole of a part one of them passed.
       */
      prefilter: VerifierStage.extend({ narrow: z.boolean().optional() }).strict().optional(),
      /**
       * Optional test-time views: each verifier window is scored as each listed view (`as_read`, `low_pass`
       * [1 4 1]/6, `flip_x`, `flip_y`) and the scores combined (`min`, or `mean_logit`) into the window's score.
       * Absent: the window as read, once.
       */
      views: z
        .object({
          views: z.array(z.enum(WINDOW_VIEWS)).min(1).max(8),
          combine: z.enum(['min', 'mean_logit']),
        })
        .strict()
        .optional(),
    })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const n = c.input.channels.length;
    if (c.input.mean.length !== n) ctx.addIssue({ code: 'custom', path: ['input', 'mean'], message: `needs ${n} values, one per channel` });
    if (c.input.std.length !== n) ctx.addIssue({ code: 'custom', path: ['input', 'std'], message: `needs ${n} values, one per channel` });
    if (!c.classes.includes(c.positive_class))
      ctx.addIssue({ code: 'custom', path: ['positive_class'], message: `'${c.positive_class}' is not one of classes [${c.classes.join(', ')}]` });
    if (c.thresholds.low > c.thresholds.high) ctx.addIssue({ code: 'custom', path: ['thresholds', 'low'], message: 'must not exceed thresholds.high' });
    if (c.thresholds.merge_join && !c.thresholds.merge_gap_cells)
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds', 'merge_join'],
        message: 'joins nothing without thresholds.merge_gap_cells ≥ 1: set both, or remove it',
      });
    const share = c.thresholds.growth_peak_share;
    if (share !== undefined && share <= c.thresholds.low)
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds', 'growth_peak_share'],
        message: `bounds nothing at or under thresholds.low (${c.thresholds.low}): a peak scores at most 1, so use more than low, or remove it`,
      });
    const cap = c.thresholds.max_part_m2;
    if (cap !== undefined && cap < c.thresholds.min_area_m2)
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds', 'max_part_m2'],
        message: `must be at least thresholds.min_area_m2 (${c.thresholds.min_area_m2} m²): smaller parts are dropped as specks`,
      });
    if (c.thresholds.outline && c.thresholds.outline !== 'traced' && !c.verifier)
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds', 'outline'],
        message: `'${c.thresholds.outline}' needs a verifier to judge the parts: add one, or remove it`,
      });
    if (c.tile_stride > c.input.size) ctx.addIssue({ code: 'custom', path: ['tile_stride'], message: `must not exceed input.size (${c.input.size})` });
    if (c.task === 'segmentation') {
      const s = c.output.stride;
      if (!s) ctx.addIssue({ code: 'custom', path: ['output', 'stride'], message: 'is required for segmentation' });
      else {
        if (c.input.size % s !== 0) ctx.addIssue({ code: 'custom', path: ['output', 'stride'], message: `must divide input.size (${c.input.size})` });
        if (c.tile_stride % s !== 0) ctx.addIssue({ code: 'custom', path: ['tile_stride'], message: `must be a multiple of output.stride (${s})` });
        if ((c.input.size - c.tile_stride) % (2 * s) !== 0)
          ctx.addIssue({ code: 'custom', path: ['tile_stride'], message: `input.size − tile_stride must be a multiple of 2 × output.stride` });
      }
    } else if (c.output.stride !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['output', 'stride'], message: 'is only for segmentation models' });
    }
    if (c.task === 'tile-classifier' && (c.input.size - c.tile_stride) % 2 !== 0) {
      ctx.addIssue({ code: 'custom', path: ['tile_stride'], message: 'input.size − tile_stride must be even' });
    }
  });

/** A validated, frozen model card. */
export type ModelCard = Readonly<z.infer<typeof ModelCardSchema>>;

const KNOWN: Record<string, string[]> = {
  '': ['name', 'version', 'task', 'input', 'output', 'gsd_m', 'tile_stride', 'classes', 'positive_class', 'thresholds', 'training', 'metrics', 'verifier'],
  verifier: ['model', 'threshold', 'max_windows', 'max_gsd_m', 'calibration', 'prefilter', 'views'],
  'verifier.views': ['views', 'combine'],
  'verifier.prefilter': ['model', 'threshold', 'max_windows', 'narrow'],
  input: ['name', 'size', 'channels', 'scale', 'mean', 'std', 'jpeg_dct_scaling'],
  output: ['name', 'activation', 'stride'],
  thresholds: ['high', 'low', 'min_area_m2', 'merge_gap_cells', 'merge_join', 'outline', 'growth_peak_share', 'max_part_m2'],
  training: ['data', 'warning', 'recipe', 'command', 'seed'],
};

/**
 * Validates a parsed model.json. Unknown keys are named with a "did you mean" hint.
 * @throws TilesError `TIANDI_E_BAD_MODEL_CARD` listing every problem.
 */
export function parseModelCard(json: unknown, path = 'model.json'): ModelCard {
  const r = ModelCardSchema.safeParse(json);
  if (r.success) return Object.freeze(r.data);
  const problems = r.error.issues.map((i) => {
    const at = i.path.join('.');
    if (i.code === 'unrecognized_keys') {
      const parent = i.path.join('.');
      return i.keys
        .map((k) => {
          const hint = closestWord(k, KNOWN[parent] ?? [], { maxDistance: Math.max(2, Math.floor(k.length / 3)) });
          return `unknown key '${parent ? parent + '.' : ''}${k}'${hint ? ` (did you mean '${hint}'?)` : ''}`;
        })
        .join('; ');
    }
    return `${at || '(root)'}: ${i.message}`;
  });
  throw new TilesError('TIANDI_E_BAD_MODEL_CARD', `模型说明无效 invalid model card: ${problems.join('; ')}`, path);
}
