#!/usr/bin/python3
"""Third scene generator: a held-out measurement world for the poppy detector.

Do NOT train on its output. It exists only to measure how a model generalises to imagery drawn
by code it has never seen: it was written apart from both packages/synth (the training world) and
test/foreign-scenes (the foreign generator), with its own drawing style — Yunnan / Myanmar-border hill
farmland: contour terraces with crops in rows, tea, mulch film, greenhouses, villages with tin and
tile roofs and concrete yards, ponds, tracks, forest, and poppy plots (pre-flowering, flowering,
capsule) in fields, courtyards and at forest edges, beside look-alikes (rapeseed, peas, cabbage,
garlic, roses, red tarps, pink plastic) that are not in the truth.

  /usr/bin/python3 test/third-scenes/third_scenes.py --out DIR [--scenes 6] [--seed 100] [--size-m 110] [--gsd 0.03,0.1]

Writes DIR/third-<seed>.tif (8-bit RGB JPEG COG), DIR/third-<seed>.truth.geojson (poppy polygons in the
image CRS, with a "crs" member) and DIR/scenes.json. Scene i uses seed+i; the same seed gives the same
files. Needs numpy, PIL and gdal_translate.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

CRSS = [4490, 32647, 4544, 3857]


# ----------------------------------------------------------------------------------------------- helpers
def smooth(rng, n_lr, size, octaves=((1.0, 1),)):
    """Smooth noise at full resolution `size`: sum of bilinear-upscaled random grids (amp, cells-per-side factor)."""
    out = np.zeros((size, size), np.float32)
    for amp, f in octaves:
        m = max(2, int(n_lr * f))
        g = rng.standard_normal((m, m)).astype(np.float32)
        out += amp * np.asarray(Image.fromarray(g, 'F').resize((size, size), Image.BILINEAR))
    return out


def poly_area(pts):
    x = np.array([p[0] for p in pts])
    y = np.array([p[1] for p in pts])
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def blob(rng, cx, cy, area, n=None, rough=0.22, elong=1.0, ang=0.0):
    """A hand-drawn-looking irregular polygon (metres) of about `area` m², returned scaled to exactly that area."""
    n = n or int(rng.integers(5, 12))
    a = np.sort(rng.uniform(0, 2 * math.pi, n))
    a += np.linspace(0, 0.3, n)
    r = 1.0 + rough * rng.standard_normal(n)
    r = np.clip(r, 0.55, 1.6)
    if rng.random() < 0.35:  # roughly quadrilateral field with wobbly sides
        base = np.array([0.25, 0.75, 1.25, 1.75]) * math.pi + rng.uniform(-0.2, 0.2, 4)
        a = np.sort(np.concatenate([base, rng.uniform(0, 2 * math.pi, max(0, n - 6))]))
        r = np.clip(1.0 + 0.1 * rng.standard_normal(len(a)), 0.8, 1.2)
    xs = r * np.cos(a) * elong
    ys = r * np.sin(a) / elong
    c, s = math.cos(ang), math.sin(ang)
    pts = [(float(x * c - y * s), float(x * s + y * c)) for x, y in zip(xs, ys)]
    k = math.sqrt(area / max(poly_area(pts), 1e-9))
    return [(cx + x * k, cy + y * k) for x, y in pts]


def rect(cx, cy, w, h, ang):
    c, s = math.cos(ang), math.sin(ang)
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2))]


# ----------------------------------------------------------------------------------------------- crop classes
# name: soil, veg, cover, row spacing m, row amp, along-row spacing, along amp, noise amp, weight
CROPS = {
    'maize_young': ((160, 100, 70), (78, 125, 48), 0.30, 0.70, 0.55, 0.30, 0.25, 0.20, 8),
    'maize_tall': ((150, 100, 72), (58, 98, 42), 0.85, 0.70, 0.20, 0.0, 0.0, 0.25, 7),
    'wheat_green': ((150, 115, 85), (98, 138, 62), 0.80, 0.22, 0.20, 0.0, 0.0, 0.18, 6),
    'wheat_yellow': ((150, 120, 90), (190, 172, 105), 0.85, 0.22, 0.15, 0.0, 0.0, 0.15, 3),
    'bare_red': ((168, 96, 66), (110, 120, 60), 0.03, 0.50, 0.05, 0.0, 0.0, 0.10, 7),
    'bare_brown': ((140, 112, 88), (110, 125, 65), 0.05, 0.35, 0.08, 0.0, 0.0, 0.10, 5),
    'tea': ((150, 110, 80), (46, 86, 42), 0.55, 1.50, 0.55, 0.0, 0.0, 0.15, 5),
    'mulch': ((205, 205, 200), (80, 130, 60), 0.15, 0.90, 0.25, 0.35, 0.20, 0.08, 4),
    'rapeseed': ((140, 120, 70), (222, 205, 52), 0.85, 0.30, 0.10, 0.0, 0.0, 0.22, 3),
    'peas': ((150, 110, 80), (84, 128, 62), 0.70, 0.40, 0.30, 0.0, 0.0, 0.20, 3),
    'cabbage': ((150, 105, 75), (128, 160, 142), 0.45, 0.50, 0.45, 0.45, 0.45, 0.10, 3),
    'garlic': ((155, 115, 85), (92, 140, 72), 0.45, 0.20, 0.35, 0.0, 0.0, 0.12, 3),
    'fallow': ((150, 115, 85), (112, 128, 62), 0.45, 1.00, 0.0, 0.0, 0.0, 0.55, 5),
    'vegetables': ((145, 105, 75), (100, 158, 70), 0.55, 0.45, 0.40, 0.35, 0.30, 0.15, 3),
}
CROP_NAMES = list(CROPS)

POPPY_COLORS = {
    'white': [(238, 236, 230)],
    'red': [(200, 35, 40), (215, 50, 45)],
    'pink': [(228, 130, 160), (240, 165, 185)],
    'purple': [(140, 60, 130), (165, 90, 160)],
    'mixed': [(238, 236, 230), (205, 40, 45), (230, 135, 165), (150, 70, 140)],
}


# ----------------------------------------------------------------------------------------------- patch renderer
def render_patch(rng, img, poly_m, gsd, kind, params, hrow=None):
    """Draws a plant patch (poppy or a look-alike) at ~1.5 cm, box-filtered to the scene GSD, inside poly_m."""
    N = img.shape[0]
    xs = [p[0] for p in poly_m]
    ys = [p[1] for p in poly_m]
    ix0 = max(0, int(math.floor(min(xs) / gsd)) - 1)
    iy0 = max(0, int(math.floor(min(ys) / gsd)) - 1)
    ix1 = min(N, int(math.ceil(max(xs) / gsd)) + 2)
    iy1 = min(N, int(math.ceil(max(ys) / gsd)) + 2)
    if ix1 <= ix0 or iy1 <= iy0:
        return
    k = max(1, int(math.ceil(gsd / 0.015)))
    f = gsd / k
    W, H = (ix1 - ix0) * k, (iy1 - iy0) * k
    ox, oy = ix0 * gsd, iy0 * gsd
    loc = [((x - ox) / f, (y - oy) / f) for x, y in poly_m]
    mask = Image.new('L', (W, H), 0)
    ImageDraw.Draw(mask).polygon(loc, fill=255)
    # ground under the plants, from the scene itself (soil of the field, concrete of the yard)
    under = img[iy0:iy1, ix0:ix1].astype(np.uint8)
    ground = Image.fromarray(under).resize((W, H), Image.NEAREST)
    soil = params.get('soil')
    if soil is not None:
        sg = np.asarray(ground, np.float32) * 0.35 + np.array(soil, np.float32) * 0.65
        ground = Image.fromarray(np.clip(sg, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(ground)
    area_bb = (W * f) * (H * f)
    m_np = np.asarray(mask)

    def inside(px, py):
        xi = np.clip(px.astype(int), 0, W - 1)
        yi = np.clip(py.astype(int), 0, H - 1)
        return m_np[yi, xi] > 0

    dens = params['density']
    n = int(area_bb * dens)
    if params.get('grid'):  # planted in rows
        sp = 1.0 / math.sqrt(dens)
        a = params.get('row_ang', 0.0)
        gx, gy = np.meshgrid(np.arange(-W * f, 2 * W * f, sp * 0.8), np.arange(-H * f, 2 * H * f, sp * 1.25))
        c, s = math.cos(a), math.sin(a)
        px = (gx * c - gy * s) + rng.normal(0, sp * 0.12, gx.shape)
        py = (gx * s + gy * c) + rng.normal(0, sp * 0.12, gx.shape)
        px, py = px.ravel() / f, py.ravel() / f
        keep = (px >= 0) & (px < W) & (py >= 0) & (py < H)
        px, py = px[keep], py[keep]
        keep = rng.random(len(px)) < params.get('fill', 0.92)
        px, py = px[keep], py[keep]
    else:  # broadcast: clumped (Neyman-Scott-ish) positions
        nc = max(1, n // 6)
        cx = rng.uniform(0, W, nc)
        cy = rng.uniform(0, H, nc)
        pick = rng.integers(0, nc, n)
        spread = 0.35 / f
        px = cx[pick] + rng.normal(0, spread, n)
        py = cy[pick] + rng.normal(0, spread, n)
        px = np.concatenate([px, rng.uniform(0, W, n // 2)])
        py = np.concatenate([py, rng.uniform(0, H, n // 2)])
    ok = inside(px, py) | (rng.random(len(px)) < params.get('spill', 0.0))
    px, py = px[ok], py[ok]
    order = rng.permutation(len(px))
    px, py = px[order], py[order]
    leaf = np.array(params['leaf'], np.float32)
    r0, r1 = params['plant_r']
    rr = rng.uniform(r0, r1, len(px)) / f
    shade = rng.uniform(0.75, 1.15, len(px))
    sdx, sdy = params['sun']
    for x, y, r, sh in zip(px, py, rr, shade):  # shadow first, then 2-3 overlapping leaf ellipses
        d.ellipse((x - r + sdx * r * 0.5, y - r + sdy * r * 0.5, x + r + sdx * r * 0.5, y + r + sdy * r * 0.5), fill=tuple(int(v * 0.55) for v in leaf * sh * 0.8))
    for x, y, r, sh in zip(px, py, rr, shade):
        for j in range(params.get('leaves', 3)):
            dx, dy = rng.normal(0, r * 0.35, 2)
            rj = r * rng.uniform(0.45, 0.8)
            col = tuple(int(np.clip(v * sh * rng.uniform(0.9, 1.1), 0, 255)) for v in leaf)
            d.ellipse((x + dx - rj, y + dy - rj, x + dx + rj, y + dy + rj), fill=col)
    # flowers / heads
    fpp = params.get('flowers_per_plant', 0.0)
    if fpp > 0 and len(px):
        nf = rng.poisson(fpp * len(px))
        src = rng.integers(0, len(px), nf)
        fx = px[src] + rng.normal(0, 1, nf) * rr[src] * 0.7
        fy = py[src] + rng.normal(0, 1, nf) * rr[src] * 0.7
        fd = rng.uniform(*params['flower_d'], nf) / f
        pal = params['palette']
        ci = rng.integers(0, len(pal), nf)
        centre = params.get('centre')
        for x, y, dd, c in zip(fx, fy, fd, ci):
            r = dd / 2
            col = tuple(int(np.clip(v * rng.uniform(0.9, 1.06), 0, 255)) for v in pal[c])
            d.ellipse((x - r, y - r, x + r, y + r), fill=col)
            if centre is not None and r > 1.5:
                d.ellipse((x - r * 0.3, y - r * 0.3, x + r * 0.3, y + r * 0.3), fill=centre)
    heads = params.get('heads', 0.0)
    if heads > 0 and len(px):
        nh = rng.poisson(heads * len(px))
        src = rng.integers(0, len(px), nh)
        hx = px[src] + rng.normal(0, 1, nh) * rr[src] * 0.6
        hy = py[src] + rng.normal(0, 1, nh) * rr[src] * 0.6
        for x, y in zip(hx, hy):
            r = rng.uniform(0.015, 0.025) / f
            g = int(rng.uniform(150, 185))
            d.ellipse((x - r, y - r, x + r, y + r), fill=(g - 10, g + 8, g - 18))
    grain = 1 + 0.07 * rng.standard_normal((H, W, 1), dtype=np.float32)
    ground = Image.fromarray(np.clip(np.asarray(ground, np.float32) * grain, 0, 255).astype(np.uint8))
    small = np.asarray(ground.resize((ix1 - ix0, iy1 - iy0), Image.BOX), np.float32)
    alpha = np.asarray(mask.resize((ix1 - ix0, iy1 - iy0), Image.BOX), np.float32)[..., None] / 255.0
    if hrow is not None:  # intercropped: the host crop's rows stand over the patch
        wave = np.cos(2 * math.pi * hrow[iy0:iy1, ix0:ix1] / params['host_rs'])
        over = np.clip((wave - 0.45) * 2.5, 0, 1)[..., None] * params['host_amt']
        small = small * (1 - over) + np.array(params['host_col'], np.float32) * over
    img[iy0:iy1, ix0:ix1] = img[iy0:iy1, ix0:ix1] * (1 - alpha) + small * alpha


def poppy_params(rng, stage, color, sun):
    p = {'sun': sun, 'spill': 0.0}
    glauc = np.array([118, 150, 132]) * rng.uniform(0.85, 1.1) + rng.normal(0, 6, 3)
    p['leaf'] = tuple(np.clip(glauc, 0, 255))
    p['density'] = rng.uniform(12, 45)
    p['grid'] = rng.random() < 0.3
    p['row_ang'] = rng.uniform(0, math.pi)
    p['soil'] = (150, 112, 86) if rng.random() < 0.6 else None
    if stage == 'pre-flowering':
        p['plant_r'] = (0.07, 0.17)
        p['leaves'] = 4
    elif stage == 'flowering':
        p['plant_r'] = (0.06, 0.14)
        p['flowers_per_plant'] = rng.choice([0.15, 0.4, 0.9, 1.6, 2.5])
        p['flower_d'] = (0.06, 0.12)
        p['palette'] = POPPY_COLORS[color]
        p['centre'] = (60, 55, 40) if color != 'white' else (150, 160, 110)
        p['heads'] = 0.2
    else:  # capsule
        p['plant_r'] = (0.05, 0.12)
        p['leaf'] = tuple(np.clip(np.array(p['leaf']) * np.array([1.05, 1.0, 0.92]), 0, 255))
        p['heads'] = rng.uniform(1.0, 2.5)
        p['flowers_per_plant'] = rng.uniform(0.0, 0.12)
        p['flower_d'] = (0.05, 0.09)
        p['palette'] = POPPY_COLORS[color]
    return p


LOOKALIKES = {
    'roses': lambda rng, sun: {'sun': sun, 'leaf': (50, 90, 45), 'density': 4, 'plant_r': (0.2, 0.4), 'leaves': 5, 'flowers_per_plant': 6,
                               'flower_d': (0.05, 0.09), 'palette': [(200, 30, 50), (235, 140, 170), (245, 235, 230)], 'grid': False},
    'garden': lambda rng, sun: {'sun': sun, 'leaf': (70, 115, 55), 'density': 15, 'plant_r': (0.06, 0.15), 'leaves': 3, 'flowers_per_plant': 2.0,
                                'flower_d': (0.03, 0.06), 'palette': [(240, 200, 40), (230, 110, 40), (200, 60, 160), (245, 245, 240)], 'grid': False},
    'peas': lambda rng, sun: {'sun': sun, 'leaf': (88, 132, 66), 'density': 30, 'plant_r': (0.08, 0.15), 'leaves': 3, 'flowers_per_plant': 1.5,
                              'flower_d': (0.02, 0.035), 'palette': [(245, 245, 240), (170, 110, 190)], 'grid': True, 'row_ang': rng.uniform(0, 3)},
    'cabbage': lambda rng, sun: {'sun': sun, 'leaf': (125, 158, 140), 'density': 3.5, 'plant_r': (0.18, 0.28), 'leaves': 5, 'grid': True,
                                 'row_ang': rng.uniform(0, 3), 'fill': 0.97},
    'rapeseed': lambda rng, sun: {'sun': sun, 'leaf': (90, 130, 50), 'density': 40, 'plant_r': (0.06, 0.12), 'leaves': 2, 'flowers_per_plant': 5,
                                  'flower_d': (0.03, 0.05), 'palette': [(235, 215, 50), (225, 200, 40)], 'grid': False},
    'broad_beans': lambda rng, sun: {'sun': sun, 'leaf': (100, 140, 100), 'density': 20, 'plant_r': (0.08, 0.14), 'leaves': 3,
                                     'flowers_per_plant': 1.0, 'flower_d': (0.02, 0.03), 'palette': [(240, 240, 235), (60, 40, 60)], 'grid': True,
                                     'row_ang': rng.uniform(0, 3)},
}


# ----------------------------------------------------------------------------------------------- scene
def render_scene(seed, gsd, size_m):
    rng = np.random.default_rng(seed)
    N = int(round(size_m / gsd))
    step_lr = 0.5
    L = int(math.ceil(size_m / step_lr)) + 2
    sun_az = rng.uniform(0, 2 * math.pi)
    sun_len = rng.uniform(0.2, 0.75)  # shadow length per metre of height
    sun = (math.cos(sun_az), math.sin(sun_az))

    # --- terraces: h ~ metres across the contours, u ~ metres along them
    th = rng.uniform(0, math.pi)
    g = np.arange(L, dtype=np.float32) * step_lr
    X, Y = np.meshgrid(g, g)
    warp_a = rng.uniform(3, 12)
    w1 = smooth(rng, 4, L, ((warp_a, 1), (warp_a * 0.3, 2.5)))
    w2 = smooth(rng, 4, L, ((warp_a, 1),))
    h_lr = (-math.sin(th) * X + math.cos(th) * Y + w1).astype(np.float32)
    u_lr = (math.cos(th) * X + math.sin(th) * Y + w2).astype(np.float32)
    span = L * step_lr
    full = int(round(span / gsd))

    def up(a):
        return np.asarray(Image.fromarray(a, 'F').resize((full, full), Image.BILINEAR))[:N, :N]

    h = up(h_lr)
    u = up(u_lr)
    tstep = rng.uniform(4.5, 11.0)
    band = np.floor(h / tstep).astype(np.int32)
    frac = h / tstep - band
    bmin, bmax = int(band.min()), int(band.max())
    nb = bmax - bmin + 1
    seglen = rng.uniform(12, 40, nb).astype(np.float32)
    segoff = rng.uniform(0, 40, nb).astype(np.float32)
    bi = band - bmin
    seg = np.floor((u + segoff[bi]) / seglen[bi]).astype(np.int32)
    smin = int(seg.min())
    ns = int(seg.max()) - smin + 1
    pid = bi * ns + (seg - smin)
    npar = nb * ns
    del seg, band

    weights = np.array([CROPS[c][8] for c in CROP_NAMES], float)
    cls = rng.choice(len(CROP_NAMES), npar, p=weights / weights.sum())
    T = lambda j: np.array([CROPS[CROP_NAMES[c]][j] for c in cls], np.float32)  # noqa: E731
    soil = T(0) * rng.uniform(0.9, 1.1, (npar, 1)).astype(np.float32)
    veg = T(1) * rng.uniform(0.88, 1.12, (npar, 1)).astype(np.float32)
    cov = np.clip(T(2) + rng.normal(0, 0.08, npar).astype(np.float32), 0, 1)
    rs, ra, ps, pa, na = T(3), T(4), T(5), T(6), T(7)
    ps = np.where(ps > 0, ps, 1.0).astype(np.float32)
    # rows finer than ~4 px are not resolved by the camera: fade them instead of aliasing into moire
    ra = ra * np.clip((rs / gsd - 2.5) / 3, 0, 1).astype(np.float32)
    pa = pa * np.clip((ps / gsd - 2.5) / 3, 0, 1).astype(np.float32)

    fine = smooth(rng, N // 3, N, ((1.0, 1),))  # ~10 cm-ish grain
    mid = smooth(rng, max(4, int(size_m / 1.5)), N, ((1.0, 1), (0.5, 3)))
    coarse = smooth(rng, max(3, int(size_m / 12)), N, ((1.0, 1),))
    rw = np.cos(2 * math.pi * h / rs[pid])
    aw = np.cos(2 * math.pi * u / ps[pid])
    cover = cov[pid] + ra[pid] * rw + pa[pid] * aw * (rw > 0) + na[pid] * (0.6 * mid + 0.4 * fine) + 0.08 * coarse
    del rw, aw
    np.clip(cover, 0, 1, out=cover)
    cover = cover[..., None]
    img = soil[pid] * (1 - cover) + veg[pid] * cover
    del cover
    # peas in whole parcels: tiny white/purple flowers
    peas_i = CROP_NAMES.index('peas')
    isp = (cls[pid] == peas_i)
    if isp.any():
        spk = isp & (rng.random((N, N), dtype=np.float32) < 0.05)
        a = min(1.0, (0.03 / gsd) ** 2)
        img[spk] = img[spk] * (1 - a) + np.array([240, 238, 240], np.float32) * a
    del isp
    # terrace risers: a grassy / earthen strip at the foot of every terrace, lit or shaded by the sun
    riser_w = rng.uniform(0.4, 1.2)
    rmask = frac * tstep < riser_w
    lit = 0.72 if math.cos(sun_az - th - math.pi / 2) > 0 else 1.08
    riser_col = np.array([100, 112, 62] if rng.random() < 0.6 else [150, 110, 80], np.float32)
    img[rmask] = (riser_col * lit) * (1 + 0.12 * fine[rmask, None])
    # field bunds between parcels along a terrace
    bund = np.abs(((u + segoff[bi]) / seglen[bi]) % 1.0 - 0.5) > 0.5 - 0.25 / seglen[bi]
    img[bund] = img[bund] * 0.55 + np.array([120, 118, 70], np.float32) * 0.45
    del rmask, bund, frac, bi, u
    hrow = h  # kept for intercropped poppy

    # --- objects on an occupancy grid (0.5 m)
    occ = Image.new('L', (L, L), 0)
    od = ImageDraw.Draw(occ)
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    del img
    dr = ImageDraw.Draw(pil)
    P = lambda pts: [(x / gsd, y / gsd) for x, y in pts]  # noqa: E731
    O = lambda pts: [(x / step_lr, y / step_lr) for x, y in pts]  # noqa: E731

    # forest in one part of the scene
    forest_lr = smooth(rng, 3, L, ((1.0, 1),)) + np.where(rng.random() < 0.5, 0.01 * (X - span / 2), 0.01 * (Y - span / 2)) * rng.choice([-1, 1])
    forest_lr = forest_lr > np.quantile(forest_lr, 1 - rng.uniform(0.08, 0.25))
    fm = np.asarray(Image.fromarray((forest_lr * 255).astype(np.uint8)).resize((full, full), Image.BILINEAR))[:N, :N] > 127
    occ_np = np.array(occ)
    occ_np[forest_lr] = 3
    # tracks
    for _ in range(rng.integers(1, 4)):
        x, y = rng.uniform(0, size_m, 2)
        a = rng.uniform(0, 2 * math.pi)
        pts = []
        for _ in range(40):
            pts.append((x, y))
            a += rng.normal(0, 0.15)
            x += 5 * math.cos(a)
            y += 5 * math.sin(a)
        wdt = rng.uniform(1.8, 3.5)
        dr.line(P(pts), fill=(150, 125, 100), width=max(1, int((wdt + 0.6) / gsd)), joint='curve')
        dr.line(P(pts), fill=tuple(int(v) for v in rng.uniform([165, 135, 105], [195, 160, 130])), width=max(1, int(wdt / gsd)), joint='curve')
        od.line(O(pts), fill=1, width=max(1, int(wdt / step_lr) + 2))
    # ponds
    for _ in range(rng.integers(0, 3)):
        c = rng.uniform(10, size_m - 10, 2)
        pl = blob(rng, c[0], c[1], rng.uniform(60, 500), rough=0.15)
        big = [(c[0] + (x - c[0]) * 1.12, c[1] + (y - c[1]) * 1.12) for x, y in pl]
        dr.polygon(P(big), fill=(135, 120, 90))
        dr.polygon(P(pl), fill=tuple(int(v) for v in rng.uniform([45, 65, 55], [90, 105, 85])))
        od.polygon(O(big), fill=1)
    # greenhouses
    for _ in range(rng.integers(0, 4)):
        c = rng.uniform(15, size_m - 15, 2)
        a = th + rng.normal(0, 0.1)
        w, hh = rng.uniform(25, 50), rng.uniform(6, 9)
        dr.polygon(P(rect(c[0], c[1], w, hh, a)), fill=(205, 212, 212))
        for t in np.arange(-w / 2, w / 2, 1.2):
            p0 = (c[0] + t * math.cos(a) - hh / 2 * -math.sin(a), c[1] + t * math.sin(a) - hh / 2 * math.cos(a))
            p1 = (c[0] + t * math.cos(a) + hh / 2 * -math.sin(a), c[1] + t * math.sin(a) + hh / 2 * math.cos(a))
            dr.line(P([p0, p1]), fill=(175, 182, 185), width=max(1, int(0.1 / gsd)))
        od.polygon(O(rect(c[0], c[1], w + 2, hh + 2, a)), fill=1)
    occ_np = np.maximum(occ_np, np.array(occ))
    # villages: concrete yards now, roofs later
    houses, yards = [], []
    for _ in range(rng.integers(1, 3)):
        vc = rng.uniform(15, size_m - 15, 2)
        va = rng.uniform(0, math.pi)
        for _ in range(rng.integers(4, 12)):
            c = vc + rng.normal(0, 14, 2)
            if not (6 < c[0] < size_m - 6 and 6 < c[1] < size_m - 6):
                continue
            a = va + rng.choice([0, math.pi / 2]) + rng.normal(0, 0.05)
            w, hh = rng.uniform(7, 13), rng.uniform(5, 8)
            yw, yh = w + rng.uniform(4, 10), hh + rng.uniform(4, 10)
            yc = (c[0] + rng.uniform(-1.5, 1.5), c[1] + rng.uniform(-1.5, 1.5))
            ycol = tuple(int(v) for v in rng.uniform(150, 195) * np.array([1.0, 0.99, 0.95]) * rng.uniform(0.97, 1.03, 3))
            dr.polygon(P(rect(yc[0], yc[1], yw, yh, a)), fill=ycol)
            yards.append((yc, yw, yh, a))
            houses.append((c, w, hh, a))
    yard_occ = Image.new('L', (L, L), 0)
    yd = ImageDraw.Draw(yard_occ)
    for yc, yw, yh, a in yards:
        yd.polygon(O(rect(yc[0], yc[1], yw, yh, a)), fill=1)
    house_occ = Image.new('L', (L, L), 0)
    hd = ImageDraw.Draw(house_occ)
    for c, w, hh, a in houses:
        hd.polygon(O(rect(c[0], c[1], w + 1.5, hh + 1.5, a)), fill=1)
    yard_np = np.array(yard_occ) > 0
    house_np = np.array(house_occ) > 0
    occ_np[yard_np] = np.maximum(occ_np[yard_np], 2)
    # forest floor / canopy base
    img = np.asarray(pil, np.float32) * (1 + 0.05 * fine + 0.04 * mid)[..., None]
    canopy = np.array([42, 70, 38], np.float32) * (1 + 0.25 * mid[fm, None] + 0.1 * fine[fm, None])
    img[fm] = canopy
    del fm

    # --- poppy plots and look-alike patches
    truth = []
    plot_occ = np.zeros((L, L), bool)

    def free_for(pl, allowed):
        m = Image.new('L', (L, L), 0)
        ImageDraw.Draw(m).polygon(O(pl), fill=1)
        mm = np.array(m) > 0
        xs = [p[0] for p in pl]
        ys = [p[1] for p in pl]
        if min(xs) < 1 or min(ys) < 1 or max(xs) > size_m - 1 or max(ys) > size_m - 1:
            return None
        if not mm.any() or plot_occ[mm].any() or house_np[mm].any():
            return None
        if not allowed(mm):
            return None
        return mm

    forest_d = np.array(Image.fromarray((forest_lr * 255).astype(np.uint8)).filter(ImageFilter.MaxFilter(13))) > 0
    n_small = int(rng.integers(6, 13))
    n_big = int(rng.integers(0, 3))
    stages = ['pre-flowering', 'flowering', 'flowering', 'capsule']
    for i in range(n_small + n_big):
        area = float(np.exp(rng.uniform(math.log(2), math.log(80)))) if i < n_small else float(rng.uniform(80, 300))
        where = rng.choice(['field', 'field', 'courtyard', 'forest_edge']) if area < 120 else rng.choice(['field', 'forest_edge'])
        stage = str(rng.choice(stages))
        color = str(rng.choice(list(POPPY_COLORS), p=[0.28, 0.22, 0.2, 0.15, 0.15]))
        for _try in range(200):
            if _try == 100:
                where = 'field'
            if where == 'courtyard' and yards:
                yc, yw, yh, a = yards[rng.integers(0, len(yards))]
                c = (yc[0] + rng.uniform(-yw / 2, yw / 2), yc[1] + rng.uniform(-yh / 2, yh / 2))
                area_i = min(area, rng.uniform(2, 25))
                pl = blob(rng, c[0], c[1], area_i, rough=0.12, elong=rng.uniform(1, 1.8), ang=a)
                mm = free_for(pl, lambda mm: yard_np[mm].mean() > 0.7)
            elif where == 'forest_edge':
                c = rng.uniform(2, size_m - 2, 2)
                pl = blob(rng, c[0], c[1], area, elong=rng.uniform(1, 2.2), ang=rng.uniform(0, 3.2))
                mm = free_for(pl, lambda mm: occ_np[mm].max() == 0 and forest_d[mm].mean() > 0.3)
            elif where == 'courtyard':
                where = 'field'
                continue
            else:
                c = rng.uniform(2, size_m - 2, 2)
                pl = blob(rng, c[0], c[1], area, elong=rng.uniform(1, 2.5), ang=th + rng.normal(0, 0.3))
                mm = free_for(pl, lambda mm: occ_np[mm].max() == 0)
            if mm is not None:
                break
        else:
            continue
        plot_occ |= mm
        p = poppy_params(rng, stage, color, sun)
        host = None
        if where == 'field':
            ci = int(np.clip(int(c[1] / gsd), 0, N - 1)), int(np.clip(int(c[0] / gsd), 0, N - 1))
            hc = CROP_NAMES[cls[pid[ci]]]
            if hc in ('maize_young', 'maize_tall', 'wheat_green', 'garlic', 'vegetables') and rng.random() < 0.6:
                host = hrow
                p['host_rs'] = CROPS[hc][3]
                p['host_col'] = CROPS[hc][1]
                p['host_amt'] = rng.uniform(0.4, 0.85)
                p['soil'] = None
        if where == 'courtyard':
            p['soil'] = (130, 100, 75)
        render_patch(rng, img, pl, gsd, 'poppy', p, host)
        truth.append({'poly': pl, 'stage': stage, 'color': color if stage != 'pre-flowering' else 'none', 'where': where,
                      'area': poly_area(pl)})
    # look-alikes (not in the truth)
    for _ in range(int(rng.integers(4, 10))):
        kind = str(rng.choice(list(LOOKALIKES)))
        area = float(np.exp(rng.uniform(math.log(3), math.log(150))))
        for _try in range(40):
            if kind in ('roses', 'garden') and yards:
                yc, yw, yh, a = yards[rng.integers(0, len(yards))]
                c = (yc[0] + rng.uniform(-yw / 2, yw / 2), yc[1] + rng.uniform(-yh / 2, yh / 2))
                pl = blob(rng, c[0], c[1], min(area, 12), rough=0.1, ang=a)
                mm = free_for(pl, lambda mm: True)
            else:
                c = rng.uniform(2, size_m - 2, 2)
                pl = blob(rng, c[0], c[1], area, elong=rng.uniform(1, 2.5), ang=th)
                mm = free_for(pl, lambda mm: occ_np[mm].max() == 0)
            if mm is not None:
                break
        else:
            continue
        plot_occ |= mm
        render_patch(rng, img, pl, gsd, kind, LOOKALIKES[kind](rng, sun))

    # --- shadows, then roofs, trees, tarps
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    del img
    shadow = Image.new('L', (N, N), 0)
    sd = ImageDraw.Draw(shadow)
    dr = ImageDraw.Draw(pil)
    trees = []
    for _ in range(int(rng.integers(10, 45))):
        c = rng.uniform(0, size_m, 2)
        r = rng.uniform(1.2, 4.0)
        y0, y1 = max(0, int((c[1] - r) / step_lr)), min(L, int((c[1] + r) / step_lr) + 1)
        x0, x1 = max(0, int((c[0] - r) / step_lr)), min(L, int((c[0] + r) / step_lr) + 1)
        if plot_occ[y0:y1, x0:x1].any() or house_np[y0:y1, x0:x1].any() or (occ_np[y0:y1, x0:x1] == 1).any():
            continue
        trees.append((c, r, rng.uniform(4, 14)))
    fy, fx = np.nonzero(forest_lr)
    if len(fx):
        for j in rng.integers(0, len(fx), int(len(fx) * step_lr * step_lr / 14)):
            c = np.array([fx[j] * step_lr, fy[j] * step_lr]) + rng.uniform(-0.5, 0.5, 2)
            r = rng.uniform(1.5, 4.0)
            y0, y1 = max(0, int((c[1] - r * 0.6) / step_lr)), min(L, int((c[1] + r * 0.6) / step_lr) + 1)
            x0, x1 = max(0, int((c[0] - r * 0.6) / step_lr)), min(L, int((c[0] + r * 0.6) / step_lr) + 1)
            if not plot_occ[y0:y1, x0:x1].any():  # crowns may overhang a plot's edge a little, never cover it
                trees.append((c, r, rng.uniform(8, 20)))
    for c, r, ht in trees:
        dx, dy = sun[0] * ht * sun_len, sun[1] * ht * sun_len
        for t in np.linspace(0.0, 1.0, 8):
            rt = r * (0.2 + 0.8 * t)
            e = (c[0] + dx * t - rt, c[1] + dy * t - rt * 0.9, c[0] + dx * t + rt, c[1] + dy * t + rt * 0.9)
            sd.ellipse([v / gsd for v in e], fill=255)
    for c, w, hh, a in houses:
        ht = rng.uniform(3, 7)
        dx, dy = sun[0] * ht * sun_len, sun[1] * ht * sun_len
        r0 = rect(c[0], c[1], w, hh, a)
        sd.polygon(P([(x + dx, y + dy) for x, y in r0]), fill=255)
        for q in range(4):
            a0, a1 = r0[q], r0[(q + 1) % 4]
            sd.polygon(P([a0, a1, (a1[0] + dx, a1[1] + dy), (a0[0] + dx, a0[1] + dy)]), fill=255)
    shadow = shadow.filter(ImageFilter.GaussianBlur(max(0.5, 0.15 / gsd)))
    arr = np.asarray(pil, np.float32)
    sh = np.asarray(shadow, np.float32)[..., None] / 255.0
    sdark = rng.uniform(0.35, 0.55)
    arr = arr * (1 - sdark * sh) + np.array([10, 14, 30], np.float32) * sdark * sh * 0.5
    del sh
    pil = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    del arr
    dr = ImageDraw.Draw(pil)
    roofs = [(70, 110, 165), (150, 155, 160), (160, 72, 52), (82, 82, 88), (120, 135, 150), (190, 190, 185)]
    for c, w, hh, a in houses:
        col = np.array(roofs[rng.integers(0, len(roofs))], float) * rng.uniform(0.9, 1.1)
        r0 = rect(c[0], c[1], w, hh, a)
        half1 = rect(c[0] - hh / 4 * -math.sin(a), c[1] - hh / 4 * math.cos(a), w, hh / 2, a)
        half2 = rect(c[0] + hh / 4 * -math.sin(a), c[1] + hh / 4 * math.cos(a), w, hh / 2, a)
        dr.polygon(P(r0), fill=tuple(int(v) for v in col))
        dr.polygon(P(half1), fill=tuple(int(min(255, v * 1.12)) for v in col))
        dr.polygon(P(half2), fill=tuple(int(v * 0.82) for v in col))
        if col[0] < 130 and col[2] > 140 or rng.random() < 0.4:  # corrugation on tin roofs
            for t in np.arange(-w / 2, w / 2, 0.25):
                p0 = (c[0] + t * math.cos(a) - hh / 2 * -math.sin(a), c[1] + t * math.sin(a) - hh / 2 * math.cos(a))
                p1 = (c[0] + t * math.cos(a) + hh / 2 * -math.sin(a), c[1] + t * math.sin(a) + hh / 2 * math.cos(a))
                dr.line(P([p0, p1]), fill=tuple(int(v * 0.92) for v in col), width=1)
    for c, r, ht in trees:
        base = np.array([45, 78, 40]) * rng.uniform(0.8, 1.25) + rng.normal(0, 5, 3)
        for _ in range(7):
            o = rng.normal(0, r * 0.3, 2)
            rj = r * rng.uniform(0.45, 0.75)
            col = tuple(int(np.clip(v, 0, 255)) for v in base * rng.uniform(0.85, 1.2))
            dr.ellipse(((c[0] + o[0] - rj) / gsd, (c[1] + o[1] - rj) / gsd, (c[0] + o[0] + rj) / gsd, (c[1] + o[1] + rj) / gsd), fill=col)
        dr.ellipse(((c[0] - r * 0.5 - sun[0] * r * 0.3) / gsd, (c[1] - r * 0.5 - sun[1] * r * 0.3) / gsd,
                    (c[0] + r * 0.1 - sun[0] * r * 0.3) / gsd, (c[1] + r * 0.1 - sun[1] * r * 0.3) / gsd),
                   fill=tuple(int(min(255, v * 1.3)) for v in base))
    for _ in range(int(rng.integers(2, 7))):  # tarps, pink plastic, drying sheets
        c = rng.uniform(3, size_m - 3, 2)
        gi = (min(L - 1, int(c[1] / step_lr)), min(L - 1, int(c[0] / step_lr)))
        if plot_occ[gi]:
            continue
        col = [(185, 40, 40), (200, 60, 50), (232, 140, 172), (60, 90, 170), (215, 120, 150)][rng.integers(0, 5)]
        dr.polygon(P(rect(c[0], c[1], rng.uniform(1.5, 5), rng.uniform(1.5, 4), rng.uniform(0, 3))), fill=col)

    # --- camera: blur, white balance, exposure, haze, vignetting per photo frame, sensor noise
    pil = pil.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    arr = np.asarray(pil, np.float32) / 255.0
    del pil
    wb = rng.normal(1, 0.05, 3).astype(np.float32)
    exp_ = rng.uniform(0.82, 1.18)
    arr = np.power(arr, np.float32(rng.uniform(0.9, 1.1))) * (wb * exp_)
    grey = arr.mean(axis=2, keepdims=True)
    arr = grey + (arr - grey) * np.float32(rng.uniform(0.7, 0.95))
    del grey
    hz = rng.uniform(0.0, 0.15)
    arr = arr * (1 - hz) + np.array([0.72, 0.76, 0.82], np.float32) * hz
    frame = rng.uniform(35, 70)  # ground size of one photo in the mosaic
    fxm = ((np.arange(N) * gsd + rng.uniform(0, frame)) % frame) / frame - 0.5
    fym = ((np.arange(N) * gsd + rng.uniform(0, frame)) % frame) / frame - 0.5
    vig = 1 - rng.uniform(0.0, 0.25) * (fxm[None, :] ** 2 + fym[:, None] ** 2) * 2
    arr *= vig.astype(np.float32)[..., None]
    arr += (rng.standard_normal((N, N), dtype=np.float32) * 0.012)[..., None]
    out = np.clip(arr * 255 + 0.5, 0, 255).astype(np.uint8)
    return out, truth


# ----------------------------------------------------------------------------------------------- georeference
def georef(rng, epsg, size_m, N, gsd):
    """Returns (ulx, uly, sx, sy) with sx, sy CRS units per ground metre so that the ground GSD is `gsd`."""
    if epsg == 4490:
        lat = 25.0 + rng.uniform(-0.15, 0.15)
        lon = 102.7 + rng.uniform(-0.15, 0.15)
        p = math.radians(lat)
        mlat = 111132.954 - 559.822 * math.cos(2 * p) + 1.175 * math.cos(4 * p)
        mlon = 111412.84 * math.cos(p) - 93.5 * math.cos(3 * p) + 0.118 * math.cos(5 * p)
        return lon - size_m / 2 / mlon, lat + size_m / 2 / mlat, 1 / mlon, 1 / mlat
    if epsg == 32647:
        return round(rng.uniform(640000, 800000), 1), round(rng.uniform(2450000, 2650000), 1), 1.0, 1.0
    if epsg == 4544:  # CM 105E, false easting 500 000 without a zone prefix; Yunnan/Guizhou/Guangxi east of 103.5E
        return round(rng.uniform(380000, 620000), 1), round(rng.uniform(2500000, 2800000), 1), 1.0, 1.0
    # EPSG:3857: sphere scale 1/cos(lat)
    lat = 24.5 + rng.uniform(-0.5, 0.5)
    lon = 99.5 + rng.uniform(-0.8, 0.8)
    R = 6378137.0
    k = 1 / math.cos(math.radians(lat))
    x = R * math.radians(lon)
    y = R * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return x - size_m / 2 * k, y + size_m / 2 * k, k, k


def write_scene(out, seed, gsd, size_m):
    t0 = time.time()
    epsg = CRSS[seed % len(CRSS)]
    arr, truth = render_scene(seed, gsd, size_m)
    N = arr.shape[0]
    grng = np.random.default_rng(seed + 7_000_000)
    ulx, uly, sx, sy = georef(grng, epsg, size_m, N, gsd)
    lrx, lry = ulx + N * gsd * sx, uly - N * gsd * sy
    name = f'third-{seed}'
    with tempfile.TemporaryDirectory() as td:
        raw = os.path.join(td, 'raw.tif')
        Image.fromarray(arr).save(raw)
        q = int(np.random.default_rng(seed + 9_000_000).integers(85, 91))
        tif = os.path.join(out, name + '.tif')
        if os.path.exists(tif):
            os.remove(tif)
        subprocess.run(['gdal_translate', '-q', '-of', 'COG', '-co', 'COMPRESS=JPEG', '-co', f'QUALITY={q}', '-a_srs', f'EPSG:{epsg}',
                        '-a_ullr', repr(ulx), repr(uly), repr(lrx), repr(lry), raw, tif], check=True)
    feats = []
    for t in truth:
        ring = [[ulx + x * sx, uly - y * sy] for x, y in t['poly']]
        ring.append(ring[0])
        feats.append({'type': 'Feature', 'properties': {'kind': 'poppy', 'stage': t['stage'], 'color': t['color'], 'where': t['where'],
                                                       'area_m2': round(t['area'], 3)},
                      'geometry': {'type': 'Polygon', 'coordinates': [ring]}})
    fc = {'type': 'FeatureCollection', 'crs': {'type': 'name', 'properties': {'name': f'urn:ogc:def:crs:EPSG::{epsg}'}}, 'features': feats}
    with open(os.path.join(out, name + '.truth.geojson'), 'w') as fh:
        json.dump(fc, fh)
    dt = time.time() - t0
    print(f'[third-scenes] {name}: EPSG:{epsg} gsd {gsd:.3f} m, {N}x{N} px, {len(feats)} poppy plots, {dt:.1f} s', file=sys.stderr)
    return {'image': name + '.tif', 'truth': name + '.truth.geojson', 'seed': seed, 'gsd_m': gsd, 'epsg': epsg, 'crs': f'EPSG:{epsg}',
            'size_px': N, 'size_m': size_m, 'plots': len(feats)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True)
    ap.add_argument('--scenes', type=int, default=6)
    ap.add_argument('--seed', type=int, default=100)
    ap.add_argument('--size-m', type=float, default=110.0)
    ap.add_argument('--gsd', type=str, default=None, help='comma-separated ground GSDs in metres, used in turn')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    gsds = [float(v) for v in a.gsd.split(',')] if a.gsd else None
    scenes = []
    for i in range(a.scenes):
        seed = a.seed + i
        gsd = gsds[i % len(gsds)] if gsds else round(float(np.random.default_rng(seed + 5_000_000).uniform(0.03, 0.12)), 4)
        scenes.append(write_scene(a.out, seed, gsd, a.size_m))
    with open(os.path.join(a.out, 'scenes.json'), 'w') as fh:
        json.dump({'generator': 'third-scenes', 'note': 'held-out measurement world: do NOT train on it', 'seed': a.seed, 'scenes': scenes}, fh, indent=1)


if __name__ == '__main__':
    main()
