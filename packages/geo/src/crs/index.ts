export type { Crs } from './crs';
export { CrsError, type CrsErrorCode } from './errors';
export { getCrs, SUPPORTED_EPSG } from './get-crs';
export { crsFromGeoKeys, type GeoKeys } from './crs-from-geokeys';
export { epsgEntry, type EpsgEntry } from './epsg-dataset';
export { crsFromProj4 } from './crs-from-proj4';
export { transformer, type Transformer } from './transformer';
export { gaussKrugerCrs, gaussKrugerZoneCrs, gaussKrugerZone, gaussKrugerFromEpsg, type GaussKrugerOptions } from './gauss-kruger-crs';
export { WGS84, toWgs84 } from './wgs84';
