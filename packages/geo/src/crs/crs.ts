/** A coordinate reference system Tiandi can transform: an id (`EPSG:4522` or `PROJ4:<hash>`), its proj4 definition and units. */
export interface Crs {
  /** `EPSG:<code>` for registry entries, `custom:<proj4>` for user-supplied definitions. */
  readonly id: string;
  /** EPSG code when known (undefined for custom definitions). */
  readonly epsg?: number;
  /** proj4 definition string understood by proj4js (and PROJ). */
  readonly proj4: string;
  /** Human-readable name, e.g. `CGCS2000 / 3-degree Gauss-Kruger zone 34`. */
  readonly name: string;
  /** Units of the x/y axes: geographic CRSs are in degrees, projected ones in metres. */
  readonly units: 'degree' | 'metre';
  /** Where the CRS is meant to be used, [west, south, east, north] degrees, when the EPSG dataset says. */
  readonly areaOfUse?: readonly [number, number, number, number];
  /** What the user should know once, e.g. that the datum has no published shift to WGS 84. */
  readonly note?: string;
}
