#!/bin/sh
# Writes the committed boundary-file fixtures of packages/store/test/in/boundaries from villages.geojson (lon/lat)
# with GDAL's ogr2ogr, the reference writer: a GBK Shapefile in CGCS2000 / 3-degree GK CM 102E (EPSG:4543) with
# .prj and .cpg, a GeoPackage layer in Xian 1980 / 3-degree GK zone 34 (EPSG:2358), and a KMZ.
set -eu
cd "$(dirname "$0")/../test/in/boundaries"
rm -f villages-4543.* villages-2358.gpkg villages.kml villages.kmz
ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:4543 -lco ENCODING=GBK villages-4543.shp villages.geojson
ogr2ogr -f GPKG -t_srs EPSG:2358 -lco SPATIAL_INDEX=NO -nln villages villages-2358.gpkg villages.geojson
ogr2ogr -f KML villages.kml villages.geojson
mkdir -p kmz.tmp && cp villages.kml kmz.tmp/doc.kml && (cd kmz.tmp && zip -q -X ../villages.kmz doc.kml) && rm -r kmz.tmp villages.kml
