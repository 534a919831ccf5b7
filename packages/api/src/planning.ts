import { z } from 'zod';

/** [longitude, latitude] in WGS 84 degrees. */
export const LonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** `PUT /api/planning/depot` body: where the teams start and end each day. */
export const DepotBody = z.strictObject({ depot: LonLat, name: z.string().max(100).optional() });
export type DepotBody = z.infer<typeof DepotBody>;

/**
 * `POST /api/plans` body: a plan computed in the browser (or by `tiandi plan`) to record — per team its route (one line,
 * or one per working day), totals and ordered stops. The planner's `planRecord` writes it (`planRecordFromJson` from a plan.json).
 */
export const PlanBody = z.strictObject({
  planId: z.string().regex(/^[\w.-]{1,80}$/, '计划编号只能含字母数字和 ._- plan id: letters, digits, . _ - (≤ 80)'),
  teams: z
    .array(
      z.strictObject({
        team: z.string().min(1).max(80),
        // One line, or one per working day of a multi-day plan.
        route: z
          .discriminatedUnion('type', [
            z.strictObject({ type: z.literal('LineString'), coordinates: z.array(LonLat).min(2) }),
            z.strictObject({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(LonLat).min(2)).min(1) }),
          ])
          .nullable(),
        durationS: z.number().min(0).nullable().optional(),
        distanceM: z.number().min(0).nullable().optional(),
        stops: z
          .array(z.strictObject({ targetId: z.string().min(1).max(300).nullable(), position: LonLat, arriveS: z.number().min(0).nullable().optional() }))
          .max(5000),
      }),
    )
    .min(1)
    .max(50),
});
export type PlanBody = z.infer<typeof PlanBody>;

/**
 * The part of `tiandi plan`'s plan.json (version 1) that a plan record is made of: per route its team, day, totals,
 * drawn path and stops. Other keys (objective, unassigned, stats …) are kept out, not refused. The planner's
 * `planRecordFromJson` reads a plan.json with it (`tiandi plans import`).
 */
export const PlanJson = z.object({
  version: z.literal(1),
  date: z.string().nullish(),
  routes: z
    .array(
      z.object({
        teamId: z.string().min(1).max(80),
        day: z.number().int().min(0).default(0),
        durationS: z.number().min(0).nullish(),
        distanceM: z.number().min(0).nullish(),
        path: z.array(LonLat).default([]),
        stops: z.array(
          z.object({
            targetId: z.string().min(1).max(300).nullable(),
            lon: z.number().min(-180).max(180),
            lat: z.number().min(-90).max(90),
            arrivalS: z.number().min(0).nullish(),
          }),
        ),
      }),
    )
    .min(1),
});
export type PlanJson = z.infer<typeof PlanJson>;

/**
 * The one service-time rule of every plan (CLI, server and web): the time a team spends at a target is
 * `baseS + perM2S × plot area (m²)`, rounded to the second — a larger plot takes longer to walk and count — unless
 * the target carries its own `service_s`. The defaults are planning assumptions, not measurements: 10 min to reach,
 * photograph and report a plot, and 0.2 s per m² to check it — walking lines about 10 m apart at about 0.5 m/s
 * (a 2 000-m² plot: 10 + 7 min). Set both from your own teams' times (`tiandi plan --service --service-per-m2`,
 * the planner view, `serviceMin` / `serviceSPerM2` of `POST /api/plans/compute`).
 */
export const SERVICE_TIME_DEFAULTS = { baseS: 600, perM2S: 0.2 } as const;

/** `POST /api/plans/compute` body: plan on the server from the workspace's targets, roads and depot. */
export const PlanComputeBody = z.strictObject({
  /** Default: the season's review threshold (store's `planningMinScore`), as the CLI and the web planner. */
  minScore: z.number().min(0).max(1).optional(),
  zone: z.string().min(1).max(200).optional(),
  targetIds: z.array(z.string().min(1).max(300)).max(10_000).optional(),
  teams: z.number().int().min(1).max(50),
  depot: LonLat.optional(),
  shiftH: z.number().min(0.5).max(24).default(8),
  /** Fixed part of the time at each target (minutes); see {@link SERVICE_TIME_DEFAULTS}. */
  serviceMin: z
    .number()
    .min(0)
    .max(600)
    .default(SERVICE_TIME_DEFAULTS.baseS / 60),
  /** Seconds more per m² of plot; see {@link SERVICE_TIME_DEFAULTS}. */
  serviceSPerM2: z.number().min(0).max(600).default(SERVICE_TIME_DEFAULTS.perM2S),
  timeLimitS: z.number().min(0.1).max(60).default(3),
  seed: z.number().int().min(0).default(1),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
    .optional(),
});
export type PlanComputeBody = z.input<typeof PlanComputeBody>;
