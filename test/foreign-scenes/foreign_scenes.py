#!/usr/bin/env python3
"""Foreign scene generator: synthetic farmland with poppy plots, written apart from packages/synth.

It shares no code, texture or shape with packages/synth on purpose: it exists to check how the detector
does on a world it was never trained on. Do NOT train on its output.

Usage:
  python3 test/foreign-scenes/foreign_scenes.py --out DIR [--scenes 6] [--seed 500] [--size-m 110] [--gsd 0.03,0.1]

Writes DIR/foreign-<seed>.tif (a JPEG COG, georeferenced by gdal_translate) and DIR/foreign-<seed>.truth.geojson
(the poppy plots in the image's own CRS, declared in a `crs` member), plus DIR/scenes.json listing them.
Needs numpy, PIL (python3-pil) and GDAL's gdal_translate. Seeded: the same seed gives the same scene.
"""
import argparse
import json
import math
import os
import subprocess
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# Places in three CRSs: (EPSG, name, origin easting/northing of the scene's top-left, ground metres per CRS unit).
# 3857 is drawn at lat ~21.4 N, where one CRS metre is cos(lat) ground metres.
PLACES = [
    (4547, 'CGCS2000 / 3-degree Gauss-Kruger CM 114E', 481_200.0, 2_656_300.0, 1.0),
    (32648, 'WGS 84 / UTM zone 48N', 447_900.0, 2_489_100.0, 1.0),
    (3857, 'WGS 84 / Pseudo-Mercator', 11_188_400.0, 2_438_700.0, math.cos(math.radians(21.4))),
]

PALETTES = {
    'white': [(238, 236, 228), (250, 248, 242), (226, 222, 214)],
    'red': [(196, 28, 36), (214, 46, 40), (170, 20, 30)],
    'pink': [(232, 128, 168), (244, 160, 190), (214, 100, 150)],
    'purple': [(128, 58, 138), (150, 80, 160), (104, 44, 120)],
}


def smooth_noise(rng, h, w, cell_px, octaves=3):
    """Sum of bilinear-upsampled random grids, coarse to fine, scaled to 0..1."""
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    cell = max(2.0, cell_px)
    for _ in range(octaves):
        gh, gw = max(2, int(h / cell) + 2), max(2, int(w / cell) + 2)
        grid = Image.fromarray(rng.random((gh, gw)).astype(np.float32), mode='F')
        out += amp * np.asarray(grid.resize((w, h), Image.BILINEAR), np.float32)
        total += amp
        amp *= 0.5
        cell = max(2.0, cell / 2.3)
    return out / total


def field_labels(rng, h, w, gsd):
    """Terrace-like strips at an angle, cut across at random lengths, with wavy edges: a label per pixel."""
    s = 4  # labels on a 4x coarser grid, upsampled
    hh, ww = (h + s - 1) // s, (w + s - 1) // s
    yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32) * (s * gsd)
    th = rng.uniform(0, math.pi)
    u = xx * math.cos(th) + yy * math.sin(th)
    v = -xx * math.sin(th) + yy * math.cos(th)
    v = v + 2.0 * (smooth_noise(rng, hh, ww, 30 / (s * gsd), 2) - 0.5)
    vmin, vmax = float(v.min()), float(v.max())
    edges = [vmin - 1]
    while edges[-1] < vmax:
        edges.append(edges[-1] + rng.uniform(6, 26))
    strip = np.digitize(v, edges)
    label = np.zeros_like(strip)
    umin, umax = float(u.min()), float(u.max())
    nxt = 0
    for k in range(len(edges) + 1):
        cuts = [umin - 1]
        while cuts[-1] < umax:
            cuts.append(cuts[-1] + rng.uniform(15, 70))
        m = strip == k
        label[m] = nxt + np.digitize(u[m], cuts)
        nxt += len(cuts) + 1
    big = Image.fromarray(label.astype(np.int32), mode='I').resize((ww * s, hh * s), Image.NEAREST)
    return np.asarray(big)[:h, :w], th


LAND = ['soil', 'redsoil', 'wheat', 'rapeseed', 'maize', 'cabbage', 'fallow', 'orchard', 'mulch']
LAND_P = [0.14, 0.08, 0.16, 0.10, 0.12, 0.12, 0.12, 0.10, 0.06]


def land_texture(kind, rng, h, w, gsd, th):
    """One land use over the whole image (the caller keeps its fields' pixels)."""
    n1 = smooth_noise(rng, h, w, 0.5 / gsd, 3)[..., None]
    n2 = smooth_noise(rng, h, w, 6 / gsd, 2)[..., None]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32) * gsd
    across = (-xx * math.sin(th) + yy * math.cos(th))
    def c(rgb):
        return np.array(rgb, np.float32)
    if kind in ('soil', 'redsoil'):
        base = c((142, 112, 84)) if kind == 'soil' else c((168, 98, 66))
        return base * (0.8 + 0.35 * n1) * (0.9 + 0.2 * n2)
    if kind == 'wheat':
        streak = 0.5 + 0.5 * np.sin(across * (2 * math.pi / 0.18))[..., None]
        return c((84, 124, 58)) * (0.75 + 0.3 * n1 + 0.08 * streak) * (0.9 + 0.2 * n2)
    if kind == 'rapeseed':
        # Yellow flowering canopy with green showing through: a bright look-alike for flowers.
        g = (n1 > 0.55).astype(np.float32)
        return (c((222, 198, 52)) * (1 - 0.45 * g) + c((96, 128, 50)) * 0.45 * g) * (0.85 + 0.25 * n2)
    if kind in ('maize', 'cabbage'):
        period = 0.7 if kind == 'maize' else 0.45
        row = np.abs(((across / period) % 1.0) - 0.5)[..., None]
        width = 0.22 if kind == 'maize' else 0.28
        plant = np.clip((width - row) / 0.06, 0, 1) * (n1 > 0.35)
        leaf = c((62, 118, 44)) if kind == 'maize' else c((150, 182, 120))
        return c((128, 104, 80)) * (0.85 + 0.3 * n1) * (1 - plant) + leaf * (0.8 + 0.4 * n1) * plant
    if kind == 'fallow':
        return c((150, 146, 96)) * (0.75 + 0.45 * n1) * (0.85 + 0.3 * n2)
    if kind == 'orchard':
        return c((108, 128, 70)) * (0.8 + 0.35 * n1) * (0.9 + 0.2 * n2)
    if kind == 'mulch':
        row = np.abs(((across / 1.2) % 1.0) - 0.5)[..., None]
        film = (row < 0.3).astype(np.float32)
        return c((200, 204, 206)) * (0.9 + 0.15 * n1) * film + c((130, 106, 82)) * (0.85 + 0.3 * n1) * (1 - film)
    raise ValueError(kind)


def disk(draw, x, y, r, fill):
    draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)


def draw_tree(img, draw, rng, x, y, r, blossom=None):
    """A crown lit from the south-east, its shadow to the north-west."""
    draw.ellipse([x - r - 0.5 * r, y - r - 0.4 * r, x + r - 0.5 * r, y + r - 0.4 * r], fill=(40, 46, 30))
    base = blossom or (52 + int(rng.integers(0, 30)), 92 + int(rng.integers(0, 30)), 40)
    draw.ellipse([x - r, y - r, x + r, y + r], fill=base)
    for _ in range(int(6 + r / 3)):
        a, d = rng.uniform(0, 2 * math.pi), rng.uniform(0, 0.7 * r)
        rr = rng.uniform(0.2, 0.45) * r
        tone = tuple(int(min(255, v * rng.uniform(0.85, 1.15))) for v in base)
        disk(draw, x + d * math.cos(a), y + d * math.sin(a), rr, tone)


def draw_built(img, rng, w, h, gsd, th):
    """Roads, houses with roofs and shadows, tarps; returns their mask (no poppy is placed on them)."""
    mask = Image.new('L', (w, h), 0)
    draw = ImageDraw.Draw(img)
    md = ImageDraw.Draw(mask)
    m = 1 / gsd
    for _ in range(int(rng.integers(1, 3))):
        a = th + rng.choice([0, math.pi / 2]) + rng.uniform(-0.15, 0.15)
        cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
        L = 2 * (w + h)
        p0 = (cx - L * math.cos(a), cy - L * math.sin(a))
        p1 = (cx + L * math.cos(a), cy + L * math.sin(a))
        col = (172, 170, 164) if rng.random() < 0.5 else (184, 160, 124)
        width = int(rng.uniform(3, 5) * m)
        draw.line([p0, p1], fill=col, width=width)
        md.line([p0, p1], fill=255, width=width)
    roofs = [(70, 110, 168), (166, 72, 52), (128, 128, 126), (196, 196, 190), (60, 140, 150)]
    for _ in range(int(rng.integers(2, 7))):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        bw, bh = rng.uniform(6, 13) * m, rng.uniform(5, 10) * m
        a = th + rng.uniform(-0.1, 0.1)
        corners = [(-bw / 2, -bh / 2), (bw / 2, -bh / 2), (bw / 2, bh / 2), (-bw / 2, bh / 2)]
        pts = [(cx + px * math.cos(a) - py * math.sin(a), cy + px * math.sin(a) + py * math.cos(a)) for px, py in corners]
        draw.polygon([(x - 1.5 * m, y - 1.2 * m) for x, y in pts], fill=(46, 46, 44))
        col = roofs[int(rng.integers(0, len(roofs)))]
        draw.polygon(pts, fill=col)
        md.polygon([(x - 1.5 * m, y - 1.2 * m) for x, y in pts], fill=255)
        md.polygon(pts, fill=255)
        mid = [((pts[0][0] + pts[3][0]) / 2, (pts[0][1] + pts[3][1]) / 2), ((pts[1][0] + pts[2][0]) / 2, (pts[1][1] + pts[2][1]) / 2)]
        draw.line(mid, fill=tuple(int(v * 0.75) for v in col), width=max(1, int(0.15 * m)))
    for _ in range(int(rng.integers(1, 5))):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        tw, tl = rng.uniform(1.5, 4) * m, rng.uniform(2, 5) * m
        col = [(36, 84, 196), (40, 120, 210), (224, 120, 40), (210, 210, 215)][int(rng.integers(0, 4))]
        draw.rectangle([cx, cy, cx + tw, cy + tl], fill=col)
        md.rectangle([cx, cy, cx + tw, cy + tl], fill=255)
    return np.asarray(mask) > 0


def draw_trees(img, rng, w, h, gsd, labels_kind, built):
    """Lone trees and orchard rows (some in blossom), drawn over fields and poppy plots, not rooted on roads or roofs."""
    draw = ImageDraw.Draw(img)
    m = 1 / gsd
    for _ in range(int(rng.integers(5, 25))):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(1.2, 3.5) * m
        if not built[int(y), int(x)]:
            draw_tree(img, draw, rng, x, y, r)
    blossoms = [(236, 178, 196), (246, 240, 240), (226, 150, 180)]
    step = int(rng.uniform(4, 5.5) * m)
    for y in range(step // 2, h, step):
        for x in range(step // 2, w, step):
            if labels_kind[y, x] != 'orchard' or built[y, x]:
                continue
            bl = blossoms[int(rng.integers(0, 3))] if rng.random() < 0.5 else None
            draw_tree(img, draw, rng, x + rng.normal(0, 0.2 * m), y + rng.normal(0, 0.2 * m), rng.uniform(1.0, 1.9) * m, bl)


def plot_outline(rng, cx, cy, area_m2, m):
    """An irregular star-shaped outline of about `area_m2`, possibly elongated: pixel vertices."""
    n = int(rng.integers(7, 15))
    aspect = rng.uniform(1.0, 2.6)
    rot = rng.uniform(0, math.pi)
    angles = np.sort(rng.uniform(0, 2 * math.pi, n))
    radii = rng.uniform(0.65, 1.25, n)
    pts = [(r * math.cos(a) * aspect, r * math.sin(a) / aspect) for a, r in zip(angles, radii)]
    area = 0.5 * abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1])))
    k = math.sqrt(area_m2 / area) * m
    return [(cx + k * (x * math.cos(rot) - y * math.sin(rot)), cy + k * (x * math.sin(rot) + y * math.cos(rot))) for x, y in pts]


def poly_area_px(pts):
    return 0.5 * abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1])))


def draw_poppy(img, rng, pts, gsd, stage, colour, density, rows):
    """Poppy plot: soil, glaucous leaves covering `density` of it, and per stage flowers, rosettes or capsules."""
    m = 1 / gsd
    w, h = img.size
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, y0 = max(0, int(min(xs)) - 2), max(0, int(min(ys)) - 2)
    x1, y1 = min(w, int(max(xs)) + 3), min(h, int(max(ys)) + 3)
    bw, bh = x1 - x0, y1 - y0
    mask = Image.new('L', (bw, bh), 0)
    ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in pts], fill=255)
    mk = np.asarray(mask) > 0
    n = smooth_noise(rng, bh, bw, 0.15 * m, 2)
    soil = np.array((150, 118, 88), np.float32) * (0.85 + 0.3 * n[..., None])
    leafc = (112, 150, 124) if stage != 'rosette' else (102, 150, 146)
    cover = n > (1 - (0.35 + 0.5 * density))
    patch = np.where(cover[..., None], np.array(leafc, np.float32) * (0.8 + 0.4 * n[..., None]), soil)
    arr = np.asarray(img.crop((x0, y0, x1, y1)), np.float32)
    arr[mk] = patch[mk]
    tile = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(tile)
    spacing = (0.34 - 0.2 * density) * m
    ang = rng.uniform(0, math.pi)
    pal = [c for k in (list(PALETTES) if colour == 'mixed' else [colour] if colour in PALETTES else []) for c in PALETTES[k]]
    xs_, ys_ = np.nonzero(mk.T)
    if len(xs_) == 0:
        return
    count = int(len(xs_) / (spacing * spacing) * (0.6 + 0.5 * density))
    if rows:
        # Plants sown in rows: keep those near a row line.
        idx = rng.integers(0, len(xs_), count * 3)
        px, py = xs_[idx] + rng.random(len(idx)), ys_[idx] + rng.random(len(idx))
        across = (-px * math.sin(ang) + py * math.cos(ang)) / (0.3 * m)
        keep = np.abs((across % 1.0) - 0.5) > 0.32
        px, py = px[keep][:count], py[keep][:count]
    else:
        idx = rng.integers(0, len(xs_), count)
        px, py = xs_[idx] + rng.random(count), ys_[idx] + rng.random(count)
    for x, y in zip(px, py):
        if stage == 'flowering':
            r = max(0.6, rng.uniform(0.03, 0.055) * m)
            col = pal[int(rng.integers(0, len(pal)))]
            disk(draw, x, y, r, col)
            if r > 1.5:
                disk(draw, x, y, r * 0.3, (40, 36, 30))
        elif stage == 'rosette':
            r = max(0.7, rng.uniform(0.05, 0.09) * m)
            disk(draw, x, y, r, (96 + int(rng.integers(0, 20)), 146 + int(rng.integers(0, 20)), 140))
        else:  # capsule
            r = max(0.5, rng.uniform(0.015, 0.03) * m)
            disk(draw, x, y, r, (168, 184, 150))
    out = np.asarray(tile, np.float32)
    arr[mk] = out[mk]
    img.paste(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), (x0, y0))


def place_plots(rng, w, h, gsd, built):
    """3-8 plots, sizes from under 4 m² to ~80 m², spread over the scene without overlapping or touching roads, roofs or tarps."""
    m = 1 / gsd
    plots, boxes = [], []
    for _ in range(int(rng.integers(3, 9))):
        area = float(math.exp(rng.uniform(math.log(2.0), math.log(80.0))))
        for _try in range(30):
            r = math.sqrt(area) * 1.6 * m
            cx, cy = rng.uniform(r + 10, w - r - 10), rng.uniform(r + 10, h - r - 10)
            clear = not built[int(cy - r):int(cy + r), int(cx - r):int(cx + r)].any()
            if clear and all(abs(cx - bx) > r + br + 3 * m or abs(cy - by) > r + br + 3 * m for bx, by, br in boxes):
                boxes.append((cx, cy, r))
                pts = plot_outline(rng, cx, cy, area, m)
                stage = str(rng.choice(['flowering', 'rosette', 'capsule'], p=[0.65, 0.25, 0.10]))
                colour = str(rng.choice(['white', 'red', 'pink', 'purple', 'mixed'])) if stage == 'flowering' else 'none'
                plots.append({'pts': pts, 'stage': stage, 'colour': colour, 'density': float(rng.uniform(0.1, 1.0)), 'rows': bool(rng.random() < 0.4)})
                break
    return plots


def camera(img, rng):
    """White balance, exposure, a little blur and vignetting."""
    arr = np.asarray(img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8))), np.float32)
    gain = np.array([rng.uniform(0.92, 1.08), rng.uniform(0.95, 1.05), rng.uniform(0.9, 1.1)], np.float32) * rng.uniform(0.9, 1.1)
    h, w = arr.shape[:2]
    yy, xx = np.ogrid[0:h, 0:w]
    r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    vig = (1 - rng.uniform(0.03, 0.12) * r2).astype(np.float32)[..., None]
    return Image.fromarray(np.clip(arr * gain * vig, 0, 255).astype(np.uint8))


def render_scene(seed, size_m, out_dir, gsd_given=None):
    rng = np.random.default_rng(seed)
    gsd = round(float(rng.uniform(0.03, 0.08)), 3)
    gsd = gsd_given or gsd  # (a given GSD changes the whole scene: its textures and layout are drawn per pixel)
    epsg, crs_name, ox, oy, ground_per_unit = PLACES[seed % len(PLACES)]
    # Scenes sharing a CRS lie 400 m apart (on other ground), so no scene's plots fall on another's image.
    ox += ((seed // len(PLACES)) % 50) * 400 / ground_per_unit
    w = h = int(round(size_m / gsd))
    labels, th = field_labels(rng, h, w, gsd)
    kinds = rng.choice(LAND, size=int(labels.max()) + 1, p=LAND_P)
    img = np.zeros((h, w, 3), np.float32)
    tone = rng.uniform(0.88, 1.12, size=(int(labels.max()) + 1, 3)).astype(np.float32)
    for kind in LAND:
        sel = np.isin(labels, np.nonzero(kinds == kind)[0])
        if sel.any():
            img[sel] = land_texture(kind, rng, h, w, gsd, th)[sel]
    img *= tone[labels]
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    del img
    built = draw_built(pil, rng, w, h, gsd, th)
    plots = place_plots(rng, w, h, gsd, built)
    for p in plots:
        draw_poppy(pil, rng, p['pts'], gsd, p['stage'], p['colour'], p['density'], p['rows'])
    draw_trees(pil, rng, w, h, gsd, kinds[labels], built)
    pil = camera(pil, rng)
    name = f'foreign-{seed}'
    raw = os.path.join(out_dir, name + '.raw.tif')
    pil.save(raw)
    px = gsd / ground_per_unit  # CRS units per pixel
    tif = os.path.join(out_dir, name + '.tif')
    subprocess.run(['gdal_translate', '-q', '-a_srs', f'EPSG:{epsg}', '-a_ullr', str(ox), str(oy), str(ox + w * px), str(oy - h * px),
                    '-of', 'COG', '-co', 'COMPRESS=JPEG', '-co', 'QUALITY=88', raw, tif], check=True)
    os.remove(raw)
    feats = []
    for i, p in enumerate(plots):
        ring = [[ox + x * px, oy - y * px] for x, y in p['pts']]
        ring.append(ring[0])
        feats.append({'type': 'Feature', 'properties': {
            'id': f'{name}-p{i + 1}', 'class': 'poppy', 'stage': p['stage'], 'colour': p['colour'],
            'density': round(p['density'], 2), 'rows': p['rows'], 'area_m2': round(poly_area_px(p['pts']) * gsd * gsd, 2),
            'gsd_m': gsd, 'image': name + '.tif'}, 'geometry': {'type': 'Polygon', 'coordinates': [ring]}})
    truth = {'type': 'FeatureCollection', 'crs': {'type': 'name', 'properties': {'name': f'urn:ogc:def:crs:EPSG::{epsg}'}}, 'features': feats}
    with open(os.path.join(out_dir, name + '.truth.geojson'), 'w') as f:
        json.dump(truth, f)
    return {'image': name + '.tif', 'truth': name + '.truth.geojson', 'seed': seed, 'gsd_m': gsd, 'crs': f'EPSG:{epsg}', 'crs_name': crs_name,
            'size_px': w, 'plots': len(plots)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--scenes', type=int, default=6)
    ap.add_argument('--seed', type=int, default=500)
    ap.add_argument('--size-m', type=float, default=110)
    ap.add_argument('--gsd', help='comma-separated ground GSDs in metres, used in turn (default: each scene draws one in 3-8 cm)')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    scenes = []
    for k in range(a.scenes):
        gsds = [float(g) for g in a.gsd.split(',')] if a.gsd else None
        s = render_scene(a.seed + k, a.size_m, a.out, gsds[k % len(gsds)] if gsds else None)
        scenes.append(s)
        print(f"{s['image']}: {s['gsd_m']} m, {s['crs']}, {s['plots']} plots", file=sys.stderr, flush=True)
    with open(os.path.join(a.out, 'scenes.json'), 'w') as f:
        json.dump({'generator': 'test/foreign-scenes (not packages/synth; never used for training)', 'scenes': scenes}, f, indent=2)


if __name__ == '__main__':
    main()
