import { z } from 'zod';
import { SynthError } from './errors';

/** Options of one synthetic scene, validated once at the boundary (unknown keys rejected). */
export const SceneOptionsSchema = z
  .object({
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    /** Ground sample distance in metres per pixel. */
    gsdM: z.number().min(0.01).max(0.2).default(0.05),
    /** EPSG code or `EPSG:nnnn` (any CRS of the @tiandi/geo registry). */
    crs: z.union([z.string(), z.number().int()]).default('EPSG:4522'),
    widthPx: z.number().int().min(64).max(60_000).default(4096),
    heightPx: z.number().int().min(64).max(60_000).optional(),
    /** Centre of the scene [lon, lat]; default: a point in Liangshan (or at the CRS's central meridian). */
    centreLonLat: z.tuple([z.number().min(-180).max(180), z.number().min(-85).max(85)]).optional(),
    /** Top-left corner in CRS units (overrides centreLonLat). */
    originXY: z.tuple([z.number(), z.number()]).optional(),
    /** Expected number of poppy plots per hectare; 0 for none. */
    plotsPerHa: z.number().min(0).max(50).default(2.5),
    /** Acquisition date written into the GeoTIFF. */
    acquired: z.string().default('2026-04-15T03:00:00Z'),
    /**
     * `wide`: domain randomisation of poppy and camera (see variety.ts); `broad`: the wide world with poppy's
     * looks broadened further (flower carpets, soils, seedlings, slivers, blossoming trees over plots; see
     * variety.ts); `classic` (default) as before.
     */
    variety: z.enum(['classic', 'wide', 'broad']).optional(),
  })
  .strict();

/** Scene options as given by a caller. */
export type SceneOptionsInput = z.input<typeof SceneOptionsSchema>;
/** Scene options with defaults filled in. */
export type SceneOptions = Readonly<z.output<typeof SceneOptionsSchema> & { heightPx: number }>;

/**
 * Validates scene options and fills defaults.
 * @throws SynthError `TIANDI_E_BAD_SCENE_OPTIONS` naming the first bad field.
 */
export function parseSceneOptions(input: unknown): SceneOptions {
  const r = SceneOptionsSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.join('.') || (issue as { keys?: string[] }).keys?.join(',') || '';
    throw new SynthError('TIANDI_E_BAD_SCENE_OPTIONS', `场景参数无效 invalid scene option ${field}: ${issue.message}`, field);
  }
  return Object.freeze({ ...r.data, heightPx: r.data.heightPx ?? r.data.widthPx });
}
