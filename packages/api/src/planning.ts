import { z } from 'zod';

/** [longitude, latitude] in WGS 84 degrees. */
export const LonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** `PUT /api/planning/depot` body: where the teams start and end each day. */
export const DepotBody = z.strictObject({ depot: LonLat, name: z.string().max(100).optional() });
export type DepotBody = z.infer<typeof DepotBody>;
