"""A third, training-only painter of poppy plots and look-alikes, drawn straight into training chips.

packages/synth paints the training scenes, and a model trained only on them learns that renderer's poppy: another
generator's plots (other flower sizes, hues, leaf textures, plot edges) were missed (docs/model-card.md, "Foreign
generator"). This painter shares no code with either generator: it draws a plot over any chip (synthetic or REAL
background) as glaucous leaves of random hue, size, texture, cover and row pattern, then flowers of any hue but
yellow (white, red, pink, purple, mixed or arbitrary), or capsules, or nothing (pre-flowering rosettes), with the
chip's light; and look-alikes as negatives: yellow flowering crops (rapeseed), tarps and roofs of any colour with
straight edges, bare soil furrows, blossoming tree crowns and plain green crop rows. It draws at twice the chip's
resolution and averages down, so flowers smaller than a pixel at 0.1 m still tint it as they would.

Never drawn from the foreign generator (test/foreign-scenes): that one is kept for checking only.
"""
import colorsys

import numpy as np
import torch
import torch.nn.functional as F

SUPER = 2  # drawn at SUPER x the chip's resolution, then averaged down


def _noise(rng, size, cells):
    """Smooth noise in [0, 1] of shape (size, size): random values on a cells x cells grid, bicubic upsampled."""
    t = torch.from_numpy(rng.random((1, 1, cells, cells)).astype(np.float32))
    return F.interpolate(t, size=(size, size), mode='bicubic', align_corners=False)[0, 0].clamp(0, 1).numpy()


def _dots(rng, size, n, radius_px, where=None):
    """Coverage in [0, 1] of n round dots of radius_px (drawn as impulses spread by a disc kernel), their centres
    uniform, or drawn from the weights `where` (size x size) when given. Also returns the centres."""
    n = int(max(0, n))
    img = np.zeros((size, size), np.float32)
    if n == 0:
        return img, np.zeros((0, 2), int)
    if where is not None and where.sum() > 0:
        p = (where / where.sum()).ravel()
        idx = rng.choice(size * size, n, p=p)
        ys, xs = idx // size, idx % size
    else:
        ys, xs = rng.integers(0, size, n), rng.integers(0, size, n)
    np.add.at(img, (ys, xs), 1.0)
    r = max(0.5, float(radius_px))
    k = int(np.ceil(r))
    yy, xx = np.mgrid[-k:k + 1, -k:k + 1].astype(np.float32)
    disc = np.clip(r + 0.5 - np.sqrt(xx * xx + yy * yy), 0, 1)
    t = F.conv2d(torch.from_numpy(img)[None, None], torch.from_numpy(disc)[None, None], padding=k)[0, 0]
    return t.clamp(0, 1).numpy(), np.stack([ys, xs], 1)


def _rows(rng, size, spacing_px):
    """A row pattern in [0, 1]: 1 on the rows, 0 between them, at a random angle and phase."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    a = rng.uniform(0, np.pi)
    u = (xx * np.cos(a) + yy * np.sin(a)) / spacing_px + rng.random()
    return np.clip((np.cos(2 * np.pi * u) - rng.uniform(-0.2, 0.5)) * 3, 0, 1)


def _hsv(h, s, v):
    return np.array(colorsys.hsv_to_rgb(h % 1.0, s, v), np.float32) * 255


def flower_palette(rng):
    """One to three flower colours of any hue but yellow: poppy's own (white, red, scarlet, pink, purple, lilac,
    crimson), mixed, or any other hue, so the model keys on the plot, not on one renderer's red."""
    kind = rng.random()
    if kind < 0.55:
        named = [(245, 245, 240), (220, 30, 35), (240, 70, 40), (235, 130, 170), (130, 50, 140), (190, 150, 210), (170, 20, 60)]
        base = [np.array(named[int(rng.integers(len(named)))], np.float32) for _ in range(int(rng.integers(1, 4)))]
    else:
        base = []
        for _ in range(int(rng.integers(1, 4))):
            h = rng.uniform(0.2, 1.1)  # skips 0.1-0.2 (yellow): rapeseed is the look-alike
            base.append(_hsv(h, rng.uniform(0.0, 1.0) if rng.random() < 0.2 else rng.uniform(0.45, 1.0), rng.uniform(0.65, 1.0)))
    return [np.clip(c * rng.uniform(0.85, 1.1, 3), 0, 255) for c in base]


def paint_poppy(bg, rng, gsd):
    """bg (S, S, 3) float: the same chip with a poppy plot over its centre (an irregular soft patch)."""
    S = bg.shape[0] * SUPER
    g = gsd / SUPER  # metres per drawing pixel
    lum = float(bg.mean())
    big = np.repeat(np.repeat(bg, SUPER, 0), SUPER, 1)
    # The ground under the plot: the chip's own, or tilled soil of a random tone.
    soil = big.copy()
    if rng.random() < 0.5:
        tone = _hsv(rng.uniform(0.03, 0.12), rng.uniform(0.2, 0.55), rng.uniform(0.3, 0.7))
        soil = tone * (0.8 + 0.4 * _noise(rng, S, 12))[..., None]
    # Glaucous leaves: blue-green to grey-green, plants of random size and spacing, rows or broadcast.
    leaf = _hsv(rng.uniform(0.36, 0.52), rng.uniform(0.12, 0.45), rng.uniform(0.42, 0.75))
    density = rng.uniform(4, 60)  # plants per m2
    n = density * (S * g) ** 2
    r_plant = rng.uniform(0.05, 0.2) / g
    where = _rows(rng, S, rng.uniform(0.25, 0.6) / g) if rng.random() < 0.4 else None
    cover, centres = _dots(rng, S, n, r_plant, where)
    cover = np.clip(cover * rng.uniform(0.7, 1.0), 0, 1)
    shade = 0.7 + 0.5 * _noise(rng, S, int(rng.integers(8, 40)))  # leaf texture
    fine = 1 + rng.uniform(0.0, 0.25) * (rng.random((S, S)) - 0.5)
    plant = leaf * (shade * fine)[..., None]
    out = soil * (1 - cover[..., None]) + plant * cover[..., None]
    stage = rng.random()
    if stage < 0.6:  # flowering: one flower per 0.3-2 plants near their centres, 5-12 cm across
        cols = flower_palette(rng)
        nf = int(len(centres) * rng.uniform(0.3, 2.0))
        r_f = rng.uniform(0.025, 0.06) / g
        for i, c in enumerate(cols):
            near = _dots(rng, S, len(centres), r_plant * 0.8, where)[0] if len(centres) else None
            fl, _ = _dots(rng, S, nf // len(cols) + (1 if i < nf % len(cols) else 0), r_f, near)
            fl = fl * rng.uniform(0.75, 1.0)
            out = out * (1 - fl[..., None]) + c * (0.85 + 0.3 * rng.random((S, S, 1))) * fl[..., None]
    elif stage < 0.8:  # capsules: small pale grey-green heads
        cap = _hsv(rng.uniform(0.22, 0.4), rng.uniform(0.1, 0.3), rng.uniform(0.6, 0.85))
        fl, _ = _dots(rng, S, int(len(centres) * rng.uniform(0.5, 2.0)), rng.uniform(0.015, 0.035) / g, cover)
        out = out * (1 - fl[..., None]) + cap * fl[..., None]
    # else: pre-flowering rosettes, leaves only
    # The chip's light: brightness towards the background's; sometimes in part shade.
    w = rng.uniform(0.3, 1.0)
    out = out * (1 - w + w * np.clip(lum / max(1.0, float(out.mean())), 0.5, 1.6))
    if rng.random() < 0.2:
        out = out * (1 - rng.uniform(0.2, 0.5) * (_noise(rng, S, 3) > 0.5))[..., None]
    return _place(big, out, rng, S)


def paint_lookalike(bg, rng, gsd):
    """bg with something that is not poppy over its centre: a yellow flowering crop, a tarp or roof, soil furrows,
    a blossoming tree crown or plain green rows."""
    S = bg.shape[0] * SUPER
    g = gsd / SUPER
    big = np.repeat(np.repeat(bg, SUPER, 0), SUPER, 1)
    kind = rng.random()
    yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)
    if kind < 0.25:  # rapeseed or mustard: dense yellow flowers on yellow-green leaves
        leaf = _hsv(rng.uniform(0.2, 0.3), rng.uniform(0.45, 0.8), rng.uniform(0.4, 0.7))
        out = leaf * (0.75 + 0.5 * _noise(rng, S, 20))[..., None]
        yel = _hsv(rng.uniform(0.12, 0.17), rng.uniform(0.7, 1.0), rng.uniform(0.8, 1.0))
        fl, _ = _dots(rng, S, rng.uniform(100, 600) * (S * g) ** 2, rng.uniform(0.01, 0.03) / g)
        out = out * (1 - fl[..., None]) + yel * fl[..., None]
        return _place(big, out, rng, S)
    if kind < 0.5:  # tarp, plastic sheet or roof: one colour, straight edges, a ridge or folds
        c = _hsv(rng.random(), rng.uniform(0.0, 1.0), rng.uniform(0.3, 1.0))
        a = rng.uniform(0, np.pi)
        u = (xx - S / 2) * np.cos(a) + (yy - S / 2) * np.sin(a)
        v = -(xx - S / 2) * np.sin(a) + (yy - S / 2) * np.cos(a)
        hw, hh = rng.uniform(0.2, 0.6, 2) * S
        m = ((np.abs(u) < hw) & (np.abs(v) < hh)).astype(np.float32)
        tex = 1 + 0.12 * np.sign(u) * (rng.random() < 0.5) + 0.08 * (_noise(rng, S, 6) - 0.5)
        out = big * (1 - m[..., None]) + (c * tex[..., None]) * m[..., None]
        return out.reshape(S // SUPER, SUPER, S // SUPER, SUPER, 3).mean(axis=(1, 3))
    if kind < 0.7:  # bare soil furrows or tilled ground
        tone = _hsv(rng.uniform(0.03, 0.12), rng.uniform(0.15, 0.6), rng.uniform(0.3, 0.8))
        pat = 0.75 + 0.35 * _rows(rng, S, rng.uniform(0.2, 0.8) / g) * rng.random() + 0.3 * (_noise(rng, S, 30) - 0.5)
        return _place(big, tone * pat[..., None], rng, S)
    if kind < 0.85:  # a tree crown in blossom: a large round crown with a shaded side, pink or white flowers
        r = rng.uniform(1.5, 4.0) / g
        cx, cy = S / 2 + rng.uniform(-0.2, 0.2) * S, S / 2 + rng.uniform(-0.2, 0.2) * S
        d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / r
        m = np.clip((1 - d) * 4 + (_noise(rng, S, 10) - 0.5), 0, 1)
        leaf = _hsv(rng.uniform(0.2, 0.33), rng.uniform(0.35, 0.7), rng.uniform(0.25, 0.55))
        a = rng.uniform(0, 2 * np.pi)
        lit = 0.65 + 0.5 * np.clip(((xx - cx) * np.cos(a) + (yy - cy) * np.sin(a)) / r * 0.5 + 0.5, 0, 1)
        crown = leaf * (lit * (0.7 + 0.6 * _noise(rng, S, 24)))[..., None]
        c = _hsv(rng.uniform(0.9, 1.0), rng.uniform(0.0, 0.45), rng.uniform(0.85, 1.0))
        fl, _ = _dots(rng, S, rng.uniform(50, 400) * (S * g) ** 2, rng.uniform(0.015, 0.04) / g, m)
        crown = crown * (1 - fl[..., None]) + c * fl[..., None]
        out = big * (1 - m[..., None]) + crown * m[..., None]
        return out.reshape(S // SUPER, SUPER, S // SUPER, SUPER, 3).mean(axis=(1, 3))
    # plain green crop rows (maize, beans, cabbage) without flowers
    leaf = _hsv(rng.uniform(0.2, 0.33), rng.uniform(0.4, 0.85), rng.uniform(0.3, 0.65))
    tone = _hsv(rng.uniform(0.03, 0.12), rng.uniform(0.2, 0.5), rng.uniform(0.3, 0.7))
    cover, _ = _dots(rng, S, rng.uniform(3, 30) * (S * g) ** 2, rng.uniform(0.08, 0.3) / g, _rows(rng, S, rng.uniform(0.4, 0.9) / g))
    out = tone * (1 - cover[..., None]) + leaf * (0.7 + 0.6 * _noise(rng, S, 30))[..., None] * cover[..., None]
    return _place(big, out, rng, S)


def _place(big, out, rng, S):
    """out over big inside an irregular soft patch that covers the centre (or the whole chip), averaged down."""
    if rng.random() < 0.3:
        m = np.ones((S, S), np.float32)
    else:
        yy, xx = np.mgrid[0:S, 0:S].astype(np.float32) / S - 0.5
        a = rng.uniform(0, np.pi)
        rx, ry = rng.uniform(0.2, 0.8, 2)
        u = (xx * np.cos(a) + yy * np.sin(a)) / rx
        v = (-xx * np.sin(a) + yy * np.cos(a)) / ry
        d = np.sqrt(u * u + v * v) + (_noise(rng, S, 6) - 0.5) * 0.6
        m = np.clip((1.0 - d) * rng.uniform(4, 12), 0, 1)
    res = big * (1 - m[..., None]) + out * m[..., None]
    return res.reshape(S // SUPER, SUPER, S // SUPER, SUPER, 3).mean(axis=(1, 3))


def paint(x, y, rng, p_pos, p_neg, gsd, real=None):
    """Paints into a batch: a share p_pos of its background chips become poppy (label 1), a further p_neg get a
    look-alike (label stays 0). Half of them on a REAL background chip instead of their own, when given."""
    if p_pos <= 0 and p_neg <= 0:
        return x, y
    x = x.astype(np.float32)
    y = y.copy()
    bgi = np.nonzero(y == 0)[0]
    draw = rng.random(len(bgi))
    for j, i in enumerate(bgi):
        if draw[j] >= p_pos + p_neg:
            continue
        bg = x[i]
        if real is not None and len(real) and rng.random() < 0.5:
            bg = real[int(rng.integers(len(real)))].astype(np.float32)
        if draw[j] < p_pos:
            x[i] = np.clip(paint_poppy(bg, rng, gsd), 0, 255)
            y[i] = 1
        else:
            x[i] = np.clip(paint_lookalike(bg, rng, gsd), 0, 255)
    return x, y
