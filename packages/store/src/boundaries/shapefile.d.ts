// Types for the parts of mbostock's `shapefile` package Tiandi uses (the package ships none).
declare module 'shapefile' {
  export interface ShapefileSource<T> {
    read(): Promise<{ done: boolean; value: T }>;
    cancel(): Promise<void>;
  }
  export function open(
    shp: string | ArrayBuffer | Uint8Array,
    dbf?: string | ArrayBuffer | Uint8Array,
    options?: { encoding?: string },
  ): Promise<ShapefileSource<{ type: 'Feature'; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } | null }>>;
}
