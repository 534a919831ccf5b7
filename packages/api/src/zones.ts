import { z } from 'zod';

/** Boundary files of a county's villages are a few MB; base64 in JSON adds a third. */
export const MAX_ZONE_IMPORT_BYTES = 64 * 1024 * 1024;

/** A plain file name: no folder, no leading dot, no NUL. */
const FileName = z.string().min(1).max(200).refine((n) => !n.startsWith('.') && !/[\\/\0]/.test(n), 'a plain file name');

/**
 * `POST /api/manager/zones/import` body: the file(s) of one boundary layer (a shapefile's .shp beside its .dbf, .prj,
 * .cpg, .shx; or one GeoPackage, KML/KMZ or GeoJSON), base64; `preview` lists fields and samples without importing.
 */
export const ZoneImportBody = z.strictObject({
  files: z.array(z.strictObject({ name: FileName, base64: z.string().max(MAX_ZONE_IMPORT_BYTES) })).min(1).max(8),
  preview: z.boolean().default(false),
  level: z.enum(['county', 'township', 'village']).optional(),
  idField: z.string().min(1).max(100).optional(),
  nameField: z.string().min(1).max(100).optional(),
  layer: z.string().min(1).max(200).optional(),
  crs: z.string().min(1).max(2000).optional(),
  encoding: z.string().min(1).max(40).optional(),
});
export type ZoneImportBody = z.input<typeof ZoneImportBody>;
