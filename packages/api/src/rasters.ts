/** One raster the server renders as XYZ tiles (`GET /api/rasters` → `{ rasters }`): an orthophoto or a scan's heatmap. */
export interface RasterInfo {
  /** 20 hex digits. */
  id: string;
  kind: 'ortho' | 'heatmap';
  name: string;
  jobId?: string | null;
  imageId?: string | null;
  /** [west, south, east, north] in WGS 84 degrees; absent when the file could not be opened (`error` says why). */
  bounds?: [number, number, number, number];
  minzoom?: number;
  maxzoom?: number;
  /** Ground sample distance of the full-resolution level, metres per pixel. */
  gsdM?: number;
  /** XYZ URL template `/api/rasters/<id>/{z}/{x}/{y}.png`. */
  tiles?: string;
  /** A heatmap's imagery-quality blocks (GeoJSON URL), when its scan wrote them. */
  quality?: string;
  error?: string;
}
