#!/usr/bin/python3
"""Trains the second stage of poppy-synth: a small classifier that looks again, at 5 cm, at windows centred
on each candidate the segmentation model traced, and exports it to ONNX with its card (verifier/model.json).

Reads chips written by packages/synth/scripts/make-verifier-chips.ts: <chips>/poppy/*.png and
<chips>/background/*.png, 64 x 64 px at 0.05 m, exactly as the scan pipeline reads them. The first stage
finds nearly every plot but also brassica, garlic, blossom and tree edges at 0.15 m; at 5 cm the flowers,
capsules and the plants' spacing tell poppy apart.

With --prefilter --gsd 0.1 --arch lite it trains the verifier's prefilter (prefilter/model.json): the same kind
of windows at 0.1 m, the level the first stage reads from a 5-cm COG, so the scan can rule most candidates out
before reading any full-resolution block for the verifier.

Run with Debian's PyTorch: /usr/bin/python3 models/poppy-synth/train_verifier.py [--chips DIR] [--epochs N]
Fixed seed: same chips -> same weights (up to non-determinism of multi-threaded CPU kernels).
"""
import argparse, glob, io, json, os, random, re, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageFilter

from train import photometric  # the same colour jitter as the first stage (train.py beside this file)
from painter import paint  # the third, training-only painter (painter.py beside this file)

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 7
MEAN, STD, SCALE = 0.5, 0.25, 255.0
SIZE = 64
GSD = 0.05  # default ground size of a chip pixel (--gsd)


def block(cin, cout, stride):
    return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


ARCHS = {
    # Full resolution first (flowers and capsules are 1-2 px), then three stride-2 stages: 23 M multiply-adds.
    'std': lambda: [*block(3, 16, 1), *block(16, 24, 2), *block(24, 32, 1), *block(32, 48, 2), *block(48, 48, 1), *block(48, 64, 2)],
    # A stride-2 first layer (its 3 x 3 taps still see every pixel) and one layer less at 32 x 32: 6.9 M
    # multiply-adds, about 4 x faster in onnxruntime on one thread.
    'lite': lambda: [*block(3, 16, 2), *block(16, 32, 2), *block(32, 48, 1), *block(48, 64, 2)],
}


class VerifierNet(nn.Module):
    """A few 3 x 3 conv layers (see ARCHS), then mean and max pooled into one logit."""

    def __init__(self, arch='std'):
        super().__init__()
        self.body = nn.Sequential(*ARCHS[arch]())
        self.head = nn.Linear(128, 1)

    def forward(self, x):
        f = self.body(x)
        return self.head(torch.cat([f.mean(dim=(2, 3)), f.amax(dim=(2, 3))], dim=1))


def load(dirs):
    xs, ys, groups = [], [], []
    for d in dirs.split(','):
        for cls, y in (('poppy', 1), ('background', 0)):
            for f in sorted(g for g in glob.glob(os.path.join(d, cls, '*.png')) if not g.endswith('.mask.png')):
                img = np.asarray(Image.open(f).convert('RGB'), dtype=np.uint8)
                if img.shape != (SIZE, SIZE, 3):
                    raise SystemExit(f'train_verifier.py: {f}: chip is {img.shape}, expected {SIZE} x {SIZE} RGB')
                xs.append(img); ys.append(y)
                m = re.match(r's(\d+)-', os.path.basename(f))
                groups.append(int(m.group(1)) if m else 0)
    if not xs:
        raise SystemExit(f'train_verifier.py: {dirs}: no chips; run packages/synth/scripts/make-verifier-chips.ts first')
    return np.stack(xs), np.array(ys, np.float32), np.array(groups)


def resample(x, rng, p):
    """Turns, rescales and shifts a share `p` of the batch by a random amount, sampled nearest or bilinear.

    Orthophotos reach the scan already resampled (gdalwarp into another CRS turns the pixel grid by the meridian
    convergence, nearest-neighbour by default): without this the verifier learnt the renderer's exact pixel
    texture and rejected every plot in a scene warped 14 degrees with either resampling."""
    if p <= 0:
        return x  # draws nothing from rng: the recipe's default run stays as it was
    sel = rng.random(x.shape[0]) < p
    m = int(sel.sum())
    if not m:
        return x
    a = rng.uniform(0, 2 * np.pi, m)
    s = rng.uniform(0.9, 1.12, m)
    shift = rng.uniform(-1, 1, (2, m)) / SIZE  # up to half a pixel, in grid units
    theta = torch.tensor(np.stack([np.stack([s * np.cos(a), -s * np.sin(a), shift[0]], 1),
                                   np.stack([s * np.sin(a), s * np.cos(a), shift[1]], 1)], 1), dtype=torch.float32)
    t = torch.from_numpy(np.ascontiguousarray(x[sel], dtype=np.float32)).permute(0, 3, 1, 2)
    grid = F.affine_grid(theta, list(t.shape), align_corners=False)
    mode = 'nearest' if rng.random() < 0.5 else 'bilinear'
    out = F.grid_sample(t, grid, mode=mode, padding_mode='reflection', align_corners=False)
    x = x.astype(np.float32)
    x[sel] = out.permute(0, 2, 3, 1).numpy()
    return x


_MASKS = None


def blob_masks(rng, n):
    """Soft irregular masks (n, 64, 64) that always cover the centre: a plot's edge at a random place and shape
    (drawn from a pool of 512, made once)."""
    global _MASKS
    if _MASKS is None:
        _MASKS = make_masks(np.random.default_rng(SEED + 1), 512)
    return _MASKS[rng.integers(0, len(_MASKS), n)]


def make_masks(rng, n):
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / SIZE - 0.5
    out = np.empty((n, SIZE, SIZE), np.float32)
    for i in range(n):
        a = rng.uniform(0, np.pi)
        rx, ry = rng.uniform(0.18, 0.7, 2)
        u = (xx * np.cos(a) + yy * np.sin(a)) / rx
        v = (-xx * np.sin(a) + yy * np.cos(a)) / ry
        noise = np.asarray(Image.fromarray((rng.random((6, 6)) * 255).astype(np.uint8)).resize((SIZE, SIZE), Image.BILINEAR), np.float32) / 255
        d = np.sqrt(u * u + v * v) + (noise - 0.5) * 0.6
        out[i] = np.clip((1.0 - d) * 6, 0, 1)
    return out


def composite(x, y, real, rng, p):
    """Pastes a share `p` of the poppy chips into real background chips, matched in light: each plot keeps its own
    texture inside an irregular soft mask over the centre, takes the real chip's mean colour and spread in part,
    and the real ground shows around it. The label stays poppy (the centre is always covered)."""
    if p <= 0 or real is None or not len(real):
        return x
    x = x.astype(np.float32)
    sel = np.nonzero((y == 1) & (rng.random(len(y)) < p))[0]
    if not len(sel):
        return x
    bg = real[rng.integers(0, len(real), len(sel))].astype(np.float32)
    m = blob_masks(rng, len(sel))[..., None]
    fg = x[sel]
    w = rng.uniform(0.3, 1.0, (len(sel), 1, 1, 1))  # how far the plot's light is matched to the real chip's
    fmu, fsd = fg.mean(axis=(1, 2), keepdims=True), fg.std(axis=(1, 2), keepdims=True) + 1
    bmu, bsd = bg.mean(axis=(1, 2), keepdims=True), bg.std(axis=(1, 2), keepdims=True) + 1
    matched = (fg - fmu) * (1 - w + w * np.clip(bsd / fsd, 0.6, 1.6)) + fmu * (1 - w) + bmu * w
    x[sel] = np.clip(matched * m + bg * (1 - m), 0, 255)
    return x


def camera(x, rng, p):
    """Camera and processing randomisation on a share `p` of the batch: white balance, exposure, haze, vignetting,
    an orthomosaic seamline, coarser ground sampling (up to 12.5 cm shown at 5 cm), blur (focus or motion) and
    JPEG artefacts, each drawn independently (vectorised over the batch but for JPEG)."""
    if p <= 0:
        return x
    x = x.astype(np.float32)
    sel = np.nonzero(rng.random(len(x)) < p)[0]
    n = len(sel)
    if not n:
        return x
    im = x[sel] * rng.uniform(0.85, 1.15, (n, 1, 1, 3))  # white balance
    im = 255 * (np.clip(im, 0, 255) / 255) ** rng.uniform(0.75, 1.35, (n, 1, 1, 1))  # exposure / gamma
    h = rng.uniform(0.05, 0.3, (n, 1, 1, 1)) * (rng.random((n, 1, 1, 1)) < 0.3)
    im = im * (1 - h) + rng.uniform(170, 230, (n, 1, 1, 1)) * h  # haze
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / SIZE - 0.5
    c = rng.uniform(-1.5, 1.5, (n, 2, 1, 1))
    vig = rng.uniform(0.1, 0.35, (n, 1, 1)) * (rng.random((n, 1, 1)) < 0.3)
    im = im * (1 - vig * ((xx - c[:, 0]) ** 2 + (yy - c[:, 1]) ** 2))[..., None]  # vignetting
    a = rng.uniform(0, np.pi, (n, 1, 1))
    side = ((xx * np.cos(a) + yy * np.sin(a)) > rng.uniform(-0.3, 0.3, (n, 1, 1))) & (rng.random((n, 1, 1)) < 0.15)
    im = np.where(side[..., None], im * rng.uniform(0.85, 1.15, (n, 1, 1, 3)), im)  # seamline between two photos
    t = torch.from_numpy(np.ascontiguousarray(np.clip(im, 0, 255), dtype=np.float32)).permute(0, 3, 1, 2)
    coarse = np.nonzero(rng.random(n) < 0.5)[0]
    if len(coarse):  # coarser imagery resampled up to the verifier's GSD, as the scan does
        s = int(round(SIZE / rng.uniform(1.1, 2.5)))
        lo = F.interpolate(t[coarse], size=(s, s), mode='area')
        t[coarse] = F.interpolate(lo, size=(SIZE, SIZE), mode='bilinear', align_corners=False) if rng.random() < 0.7 else F.interpolate(lo, size=(SIZE, SIZE), mode='nearest')
    blur = np.nonzero(rng.random(n) < 0.25)[0]
    if len(blur):
        if rng.random() < 0.6:
            sg = rng.uniform(0.5, 1.2); k1 = torch.exp(-torch.arange(-2, 3, dtype=torch.float32) ** 2 / (2 * sg * sg)); k1 /= k1.sum()
            ker = (k1[:, None] * k1[None, :])
        else:  # motion blur along a row or column
            ker = torch.zeros(5, 5); ker[2, :] = 0.2
            if rng.random() < 0.5:
                ker = ker.T
        t[blur] = F.conv2d(F.pad(t[blur], (2, 2, 2, 2), mode='replicate'), ker.expand(3, 1, 5, 5).contiguous(), groups=3)
    im = t.permute(0, 2, 3, 1).numpy()
    for j in np.nonzero(rng.random(n) < 0.3)[0]:  # JPEG artefacts
        buf = io.BytesIO()
        Image.fromarray(np.clip(im[j], 0, 255).astype(np.uint8)).save(buf, 'JPEG', quality=int(rng.integers(35, 92)))
        im[j] = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert('RGB'), np.float32)
    x[sel] = im
    return x


def augment(x, rng, p_resample=0.0, y=None, real=None, p_composite=0.0, p_camera=0.0):
    x = composite(x, y, real, rng, p_composite)
    k = rng.integers(0, 4)
    x = np.rot90(x, k, axes=(1, 2))
    if rng.random() < 0.5:
        x = x[:, :, ::-1]
    x = resample(x, rng, p_resample)
    x = camera(x, rng, p_camera)
    return photometric(x, rng, gain=(0.82, 1.18), tint=(0.95, 1.05))


def to_tensor(x):
    t = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)).permute(0, 3, 1, 2)
    return (t / SCALE - MEAN) / STD


def auc(scores, labels):
    order = np.argsort(scores)
    ranks = np.empty(len(scores)); ranks[order] = np.arange(1, len(scores) + 1)
    p = labels.sum(); n = len(labels) - p
    return float((ranks[labels == 1].sum() - p * (p + 1) / 2) / max(1, p * n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--chips', default=','.join([os.path.join(HERE, '.chips-verifier'), os.path.join(HERE, '.chips-verifier-2')]))
    ap.add_argument('--epochs', type=int, default=int(os.environ.get('TRAIN_EPOCHS', 14)))
    ap.add_argument('--out', default=os.path.join(HERE, 'verifier'))
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--data-note', default=None)
    ap.add_argument('--init', help='start from the weights of a checkpoint written by an earlier run (weights.pt)')
    ap.add_argument('--init-onnx', help='start from an exported model.onnx of the same --arch (batch norm folded into the convolutions: '
                    'fine-tunes with batch norm frozen as the identity, so the exported network starts where that one was)')
    ap.add_argument('--freeze-bn', action='store_true', help='keep batch norm as it is (with --init from a run that started with --init-onnx)')
    ap.add_argument('--epoch-share', type=float, default=1.0, help='share of the training chips each epoch sees (a fresh random draw per epoch; a cheaper run)')
    ap.add_argument('--gsd', type=float, default=GSD, help='metres per chip pixel, written into the card (make the chips with the same card)')
    ap.add_argument('--resample', type=float, default=0.0, help='share of training chips turned and resampled (nearest or bilinear), as gdalwarp does')
    ap.add_argument('--arch', choices=sorted(ARCHS), default='std', help='network size (see ARCHS)')
    ap.add_argument('--real', default='', help='folders of REAL negative chips (make-real-chips.ts), comma-separated: background, and backgrounds for --composite')
    ap.add_argument('--composite', type=float, default=0.0, help='share of poppy chips pasted into real background chips (needs --real)')
    ap.add_argument('--camera', type=float, default=0.0, help='share of chips given camera randomisation (white balance, exposure, haze, blur, JPEG, coarser GSD...)')
    ap.add_argument('--paint', type=float, default=0.0, help='share of background chips painted into poppy plots by painter.py (label poppy)')
    ap.add_argument('--paint-neg', type=float, default=0.0, help='share of background chips given a painted look-alike by painter.py (label background)')
    ap.add_argument('--preview', help='write a PNG grid of painted training chips to this path and stop')
    ap.add_argument('--real-weight', type=int, default=1, help='times each real chip is repeated in an epoch')
    ap.add_argument('--bg-share', type=float, default=1.0, help='share of the synthetic background chips kept for training (a cheaper run)')
    ap.add_argument('--card-only', action='store_true', help='only write the verifier card and name it in the main card (before collecting chips)')
    ap.add_argument('--prefilter', action='store_true', help="the verifier's prefilter (a cheaper first look, named as verifier.prefilter in the main card)")
    ap.add_argument('--teacher', default='', help='distillation: exported model.onnx files of the same --arch, comma-separated; each '
                    'training chip, as augmented, is labelled sigmoid(mean of their logits) and the network learns that soft label '
                    '(binary cross-entropy), so one network of this size stands in for their mean (an ensemble at one network\'s cost)')
    ap.add_argument('--hard-mix', type=float, default=0.0, help='with --teacher: weight of the usual loss on the chips\' own labels '
                    '(class-weighted), the soft labels\' weight 1 minus it')
    args = ap.parse_args()
    if args.card_only:
        write_cards(args, None)
        return
    torch.manual_seed(SEED); np.random.seed(SEED); random.seed(SEED)
    torch.set_num_threads(args.threads)
    x, y, g = load(args.chips)
    # Hold out every 10th scene to report generalisation (whole scenes, not chips, so no near-duplicates leak).
    val = (g % 10) == 9
    xt, yt, xv, yv = x[~val], y[~val], x[val], y[val]
    if args.bg_share < 1:
        keep = (yt == 1) | (np.random.default_rng(SEED).random(len(yt)) < args.bg_share)
        xt, yt = xt[keep], yt[keep]
    real = None
    if args.real:
        real, ry, _ = load(args.real)
        if ry.any():
            raise SystemExit('train_verifier.py: --real chips must all be background (real imagery without poppy)')
        # Real negatives join training (never the synthetic held-out scenes): repeated --real-weight times.
        xt = np.concatenate([xt] + [real] * args.real_weight)
        yt = np.concatenate([yt, np.zeros(len(real) * args.real_weight, np.float32)])
        print(f'{len(real)} real negative chips from {args.real} (x{args.real_weight})', flush=True)
    print(f'arch {args.arch}; {len(x)} chips ({int(y.sum())} poppy); train {len(xt)}, held-out scenes {len(xv)}', flush=True)
    model = VerifierNet(args.arch)
    if args.init:
        model.load_state_dict(torch.load(args.init))
        print(f'initialised from {args.init}', flush=True)
    frozen_bn = bool(args.init_onnx) or args.freeze_bn
    if args.init_onnx:
        load_folded_onnx(model, args.init_onnx)
        print(f'initialised from {args.init_onnx} (batch norm frozen)', flush=True)
    if args.preview:
        write_preview(args, xt, yt, real)
        return
    teachers = []
    for path in filter(None, args.teacher.split(',')):
        t = VerifierNet(args.arch)
        load_folded_onnx(t, path)
        teachers.append(t.eval())
        print(f'teacher {path}', flush=True)
    if teachers and args.paint > 0:
        raise SystemExit('train_verifier.py: --teacher with --paint is not supported (painted chips carry their own label)')
    # Painted chips turn a share of the background ones into poppy: the class weight counts them as such.
    share_pos = yt.mean() + (1 - yt.mean()) * args.paint
    pos_w = torch.tensor((1 - share_pos) / max(1e-6, share_pos))
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    bs = 64
    steps = args.epochs * ((int(round(len(xt) * args.epoch_share)) + bs - 1) // bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.2)
    rng = np.random.default_rng(SEED)
    t0 = time.time()
    for ep in range(args.epochs):
        model.train()
        if frozen_bn:
            for mod in model.modules():
                if isinstance(mod, nn.BatchNorm2d):
                    mod.eval()
        order = rng.permutation(len(xt))[:int(round(len(xt) * args.epoch_share))]
        tot, nb = 0.0, 0
        for i in range(0, len(order), bs):
            idx = order[i:i + bs]
            xb, yb = paint(xt[idx], yt[idx], rng, args.paint, args.paint_neg, args.gsd, real)
            xin = to_tensor(augment(xb, rng, args.resample, yb, real, args.composite, args.camera))
            logit = model(xin).squeeze(1)
            loss = F.binary_cross_entropy_with_logits(logit, torch.from_numpy(yb), pos_weight=pos_w)
            if teachers:  # the teachers judge the very chip the student sees (augmented), so it learns their function
                with torch.no_grad():
                    soft = torch.sigmoid(torch.stack([t(xin).squeeze(1) for t in teachers]).mean(0))
                loss = (1 - args.hard_mix) * F.binary_cross_entropy_with_logits(logit, soft) + args.hard_mix * loss
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            tot += loss.item(); nb += 1
        msg = f'epoch {ep + 1}/{args.epochs} loss {tot / nb:.4f} {time.time() - t0:.0f} s'
        if len(xv) and (ep % 3 == 2 or ep == args.epochs - 1):
            model.eval()
            with torch.no_grad():
                s = torch.cat([torch.sigmoid(model(to_tensor(xv[i:i + 256]))).squeeze(1) for i in range(0, len(xv), 256)]).numpy()
            fp = int(((s >= 0.5) & (yv == 0)).sum()); fn = int(((s < 0.5) & (yv == 1)).sum())
            msg += f' | held-out AUC {auc(s, yv):.4f}, at 0.5: {fn} of {int(yv.sum())} poppy missed, {fp} of {int((yv == 0).sum())} background passed'
            if teachers:
                with torch.no_grad():
                    ts = torch.cat([torch.sigmoid(torch.stack([t(to_tensor(xv[i:i + 256])).squeeze(1) for t in teachers]).mean(0))
                                    for i in range(0, len(xv), 256)]).numpy()
                msg += f'; teachers AUC {auc(ts, yv):.4f}, student and teachers disagree at 0.5 on {int(((s >= 0.5) != (ts >= 0.5)).sum())}'
        print(msg, flush=True)
    model.eval()
    os.makedirs(args.out, exist_ok=True)
    # The PyTorch weights too (not committed): --init fine-tunes from them on new chips.
    torch.save(model.state_dict(), os.path.join(args.out, 'weights.pt'))
    onnx_path = os.path.join(args.out, 'model.onnx')
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), onnx_path, input_names=['image'], output_names=['scores'],
                      dynamic_axes={'image': {0: 'n'}, 'scores': {0: 'n'}}, opset_version=17)
    print(f'wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), training {time.time() - t0:.0f} s')
    write_cards(args, len(x))


def write_preview(args, xt, yt, real):
    """A grid of 8 x 8 painted chips (poppy on the left half, look-alikes on the right) to look at before training."""
    rng = np.random.default_rng(SEED)
    bg = xt[yt == 0][rng.integers(0, int((yt == 0).sum()), 64)]
    pos, _ = paint(bg[:32], np.zeros(32, np.float32), rng, 1.0, 0.0, args.gsd, real)
    neg, _ = paint(bg[32:], np.zeros(32, np.float32), rng, 0.0, 1.0, args.gsd, real)
    tiles = np.concatenate([pos.reshape(8, 4, SIZE, SIZE, 3), neg.reshape(8, 4, SIZE, SIZE, 3)], axis=1)
    grid = tiles.transpose(0, 2, 1, 3, 4).reshape(8 * SIZE, 8 * SIZE, 3)
    Image.fromarray(np.clip(grid, 0, 255).astype(np.uint8)).resize((16 * SIZE, 16 * SIZE), Image.NEAREST).save(args.preview)
    print(f'wrote {args.preview}')


def load_folded_onnx(model, path):
    """Loads an exported VerifierNet (each convolution with its batch norm folded in, as torch.onnx.export does in eval
    mode): the convolution weights in order, each folded bias as its batch norm's shift, the norm itself the identity."""
    import onnx
    from onnx import numpy_helper
    g = onnx.load(path).graph
    init = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in g.initializer}
    convs = [n for n in g.node if n.op_type == 'Conv']
    layers = [m for m in model.body if isinstance(m, nn.Conv2d)]
    norms = [m for m in model.body if isinstance(m, nn.BatchNorm2d)]
    if len(convs) != len(layers):
        raise SystemExit(f'train_verifier.py: {path}: {len(convs)} convolutions, --arch has {len(layers)}')
    with torch.no_grad():
        for node, conv, bn in zip(convs, layers, norms):
            w, b = init[node.input[1]], init[node.input[2]]
            if w.shape != conv.weight.shape:
                raise SystemExit(f'train_verifier.py: {path}: convolution {tuple(w.shape)} does not fit {tuple(conv.weight.shape)}')
            conv.weight.copy_(w)
            bn.running_mean.zero_(); bn.running_var.fill_(1 - bn.eps); bn.weight.fill_(1); bn.bias.copy_(b)
        model.head.weight.copy_(init['head.weight']); model.head.bias.copy_(init['head.bias'])


def write_cards(args, chips):
    os.makedirs(args.out, exist_ok=True)
    card = {
        'name': 'poppy-synth-prefilter' if args.prefilter else 'poppy-synth-verifier',
        'version': '1.0.0',
        'task': 'tile-classifier',
        'input': {'name': 'image', 'size': SIZE, 'channels': ['R', 'G', 'B'], 'scale': SCALE, 'mean': [MEAN] * 3, 'std': [STD] * 3},
        'output': {'name': 'scores', 'activation': 'sigmoid'},
        'gsd_m': args.gsd,
        'tile_stride': SIZE,
        'classes': ['background', 'poppy'],
        'positive_class': 'poppy',
        # A verifier classifies windows the first stage chose; thresholds here are not used for tracing.
        'thresholds': {'high': 0.5, 'low': 0.5, 'min_area_m2': 0},
        'training': {
            'data': args.data_note or f'synthetic only: windows the poppy-synth segmentation model chose on packages/synth scenes (seeds 1300-1369 and 1500-1549)' + (f', {chips} chips at {args.gsd} m' if chips else f', chips at {args.gsd} m')
            + (f'; {round(args.resample * 100)} % of chips turned and resampled in training, as gdalwarp does' if args.resample > 0 else ''),
            'warning': ('Poppy seen only in synthetic imagery (real imagery used only as negatives and as backgrounds to paste synthetic plots into). Fine-tune on real labelled imagery before operational use. 罂粟样本仅来自合成影像（真实影像仅作负样本与背景），实际使用前须用真实标注影像微调。'
                        if getattr(args, 'real', '') else
                        'Trained on synthetic imagery only. Fine-tune on real labelled imagery before operational use. 仅用合成影像训练，实际使用前须用真实标注影像微调。'),
            'recipe': 'models/poppy-synth/train_verifier.py',
            'command': 'npm run train:model',
            'seed': SEED,
        },
    }
    with open(os.path.join(args.out, 'model.json'), 'w') as f:
        json.dump(card, f, indent=2, ensure_ascii=False)
        f.write('\n')
    # Name the verifier (or its prefilter) in the first stage's card (thresholds chosen later by calibration).
    main_path = os.path.join(os.path.dirname(os.path.abspath(args.out)), 'model.json')
    if os.path.exists(main_path):
        main = json.load(open(main_path))
        stage = {'model': os.path.basename(os.path.abspath(args.out)), 'threshold': 0.5, 'max_windows': 64}
        if args.prefilter and 'verifier' in main and 'prefilter' not in main['verifier']:
            main['verifier']['prefilter'] = stage
        elif not args.prefilter and 'verifier' not in main:
            main['verifier'] = stage
        else:
            return
        with open(main_path, 'w') as f:
            json.dump(main, f, indent=2, ensure_ascii=False)
            f.write('\n')


if __name__ == '__main__':
    main()
