import { z } from 'zod';

/** Boundary files of a county's villages are a few MB; base64 in JSON adds a third. */
export const MAX_ZONE_IMPORT_BYTES = 64 * 1024 * 1024;

/** A plain file name: no folder, no leading dot, no NUL. */
const FileName = z
  .string()
  .min(1)
  .max(200)
  .refine((n) => !n.startsWith('.') && !/[\\/\0]/.test(n), 'a plain file name');

/**
 * `POST /api/manager/zones/import` body: the file(s) of one boundary layer (a shapefile's .shp beside its .dbf, .prj,
 * .cpg, .shx; or one GeoPackage, KML/KMZ or GeoJSON), base64; `preview` lists fields and samples without importing.
 */
export const ZoneImportBody = z.strictObject({
  files: z
    .array(z.strictObject({ name: FileName, base64: z.string().max(MAX_ZONE_IMPORT_BYTES) }))
    .min(1)
    .max(8),
  preview: z.boolean().default(false),
  level: z.enum(['county', 'township', 'village']).optional(),
  idField: z.string().min(1).max(100).optional(),
  nameField: z.string().min(1).max(100).optional(),
  layer: z.string().min(1).max(200).optional(),
  crs: z.string().min(1).max(2000).optional(),
  encoding: z.string().min(1).max(40).optional(),
});
export type ZoneImportBody = z.input<typeof ZoneImportBody>;

/** What a boundary file holds, before anything is stored: its fields with samples and the suggested id and name fields. */
export interface BoundaryPreviewView {
  format: string;
  crs: string;
  features: number;
  polygons: number;
  fields: { name: string; samples: string[]; distinct: number }[];
  idField?: string;
  nameField?: string;
  layers?: string[];
  layer?: string;
  encoding?: string;
  note?: string;
}

/** `POST /api/manager/zones/import` answer: the preview, or what the import did (zone ids by outcome, parents found). */
export type ZoneImportAnswer =
  | { preview: BoundaryPreviewView }
  | {
      result: { added: string[]; updated: string[]; unchanged: string[]; skipped: string[]; parents: Record<string, string | null> };
      /** Features left out (not polygons, or without an id). */
      leftOut: number;
      crs: string;
      note?: string;
    };
