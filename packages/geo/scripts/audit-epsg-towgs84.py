#!/usr/bin/env python3
"""Finds TOWGS84 values in npm epsg-index that copy EPSG's raw Helmert parameters without PROJ's conversion
(coordinate-frame rotations not negated, microradians not turned into arc-seconds) and prints the corrected
values as JSON, for packages/geo/src/crs/towgs84-corrections.json.

Usage: python3 packages/geo/scripts/audit-epsg-towgs84.py [/usr/share/proj/proj.db] > packages/geo/src/crs/towgs84-corrections.json
Needs PROJ's proj.db (Debian: proj-data) and node_modules/epsg-index."""
import json, re, sqlite3, sys, os

db = sys.argv[1] if len(sys.argv) > 1 else '/usr/share/proj/proj.db'
root = os.path.join(os.path.dirname(__file__), '..', '..', '..')
entries = json.load(open(os.path.join(root, 'node_modules', 'epsg-index', 'all.json')))
con = sqlite3.connect(db)
ARCSEC_PER = {'9104': 1.0, '9109': 0.206264806247096}  # arc-second, microradian
CF_METHODS = {9607, 1032, 1038}  # coordinate frame rotation (geocentric / geog2D / geog3D)
rows = con.execute(
    "select code, name, tx, ty, tz, rx, ry, rz, rotation_uom_code, scale_difference, method_code from helmert_transformation "
    "where auth_name = 'EPSG' and target_crs_code = '4326' and deprecated = 0 and rx is not null")
raw = {}
for code, name, tx, ty, tz, rx, ry, rz, uom, ds, method in rows:
    k = ARCSEC_PER.get(str(uom))
    if k is None:
        continue
    sign = -1 if int(method) in CF_METHODS else 1
    conv = [tx, ty, tz, round(sign * rx * k, 7), round(sign * ry * k, 7), round(sign * rz * k, 7), ds]
    if conv[3:6] == [rx, ry, rz]:
        continue
    raw[(tx, ty, tz, rx, ry, rz, ds)] = (f'EPSG:{code} {name}', conv)
out = {}
for e in entries.values():
    m = re.search(r'\+towgs84=(\S+)', e.get('proj4') or '')
    if not m:
        continue
    v = tuple(float(x) for x in m.group(1).split(','))
    if len(v) == 7 and v in raw:
        name, conv = raw[v]
        out[m.group(1)] = {'towgs84': ','.join(f'{x:.10g}' for x in conv), 'transformation': name}
json.dump(dict(sorted(out.items())), sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write('\n')
