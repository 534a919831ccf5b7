#!/usr/bin/python3
"""Trains the default poppy segmentation model `poppy-synth` and exports it to ONNX.

Reads chips in the layout written by `tiandi chips export` (and by
packages/synth/scripts/make-training-chips.ts): <chips>/poppy/*.png with *.mask.png (poppy coverage
0-255 at chip resolution) and <chips>/background/*.png. Writes model.onnx and the card model.json
(metrics are filled in by `tiandi eval --write-card`).

Run with Debian's PyTorch: /usr/bin/python3 models/poppy-synth/train.py [--chips DIR] [--epochs N]
The whole recipe, data included, is `npm run train:model`. Fixed seed: same chips -> same weights
(up to floating-point non-determinism of multi-threaded CPU kernels).
"""
import argparse, glob, json, os, random, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 7
MEAN, STD, SCALE = 0.5, 0.25, 255.0
STRIDE = 4
TILE = 256


class PoppyNet(nn.Module):
    """Fully convolutional: strided early layers, few channels; output stride 4, one logit per cell."""

    def __init__(self, c1=8, c2=16, c3=20):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, c1, 2, 2), nn.ReLU(inplace=True),
            nn.Conv2d(c1, c2, 3, 2, 1), nn.ReLU(inplace=True),
            nn.Conv2d(c2, c3, 3, 1, 2, dilation=2), nn.ReLU(inplace=True),
            nn.Conv2d(c3, c3, 3, 1, 1), nn.ReLU(inplace=True),
            nn.Conv2d(c3, 1, 1),
        )

    def forward(self, x):
        return self.body(x)


def load_chips(chips_dirs):
    files = sorted(f for d in chips_dirs.split(',') for f in glob.glob(os.path.join(d, '*', '*.png')))
    files = [f for f in files if not f.endswith('.mask.png')]
    if not files:
        raise SystemExit(f'train.py: {chips_dirs}: no chips found; run npm run train:model or tiandi chips export first')
    xs, ms = [], []
    size = None
    for f in files:
        img = np.asarray(Image.open(f).convert('RGB'), dtype=np.uint8)
        mf = f[:-4] + '.mask.png'
        m = np.asarray(Image.open(mf).convert('L'), dtype=np.uint8) if os.path.exists(mf) else np.zeros(img.shape[:2], np.uint8)
        size = size or img.shape
        if img.shape != size or m.shape != size[:2]:
            raise SystemExit(f'train.py: {f}: chip is {img.shape}, expected {size}; export all chips with one --size')
        xs.append(img)
        ms.append(m)
    return np.stack(xs), np.stack(ms)


def augment(x, m, rng):
    """Flips, 90-degree turns, brightness/contrast/colour jitter and noise, on a batch (numpy)."""
    k = rng.integers(0, 4)
    x = np.rot90(x, k, axes=(1, 2)); m = np.rot90(m, k, axes=(1, 2))
    if rng.random() < 0.5:
        x = x[:, :, ::-1]; m = m[:, :, ::-1]
    return photometric(x, rng), np.ascontiguousarray(m)


def photometric(x, rng, gain=(0.8, 1.2), tint=(0.94, 1.06)):
    """Brightness, colour tint, contrast, haze and noise on a batch of 8-bit images (also used by train_verifier.py)."""
    x = x.astype(np.float32)
    n = x.shape[0]
    g = rng.uniform(*gain, (n, 1, 1, 1)) * rng.uniform(*tint, (n, 1, 1, 3))
    mean = x.mean(axis=(1, 2, 3), keepdims=True)
    contrast = rng.uniform(0.85, 1.15, (n, 1, 1, 1))
    haze = rng.uniform(0, 0.15, (n, 1, 1, 1)) * (rng.random((n, 1, 1, 1)) < 0.3)
    x = ((x - mean) * contrast + mean) * g
    x = x * (1 - haze) + 200 * haze
    x = x + rng.normal(0, 2.0, x.shape)
    return np.clip(x, 0, 255)


def to_tensor(x, m):
    t = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)).permute(0, 3, 1, 2)
    t = (t / SCALE - MEAN) / STD
    cover = torch.from_numpy(np.ascontiguousarray(m, dtype=np.float32) / 255.0).unsqueeze(1)
    target = F.avg_pool2d(cover, STRIDE)
    return t, torch.clamp(target * 1.6, 0, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--chips', default=','.join([os.path.join(HERE, '.chips'), os.path.join(HERE, '.chips-neg')]), help='chip folders, comma-separated')
    ap.add_argument('--data-note', default=None, help='replaces training.data in the card')
    ap.add_argument('--epochs', type=int, default=int(os.environ.get("TRAIN_EPOCHS", 16)))
    ap.add_argument('--out', default=HERE)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--init', help='start from the weights of an exported model.onnx (fine-tuning)')
    ap.add_argument('--crop', type=int, default=72, help='random training crop (px, multiple of 4)')
    ap.add_argument('--lr', type=float, default=4e-3, help='peak learning rate')
    args = ap.parse_args()
    torch.manual_seed(SEED); np.random.seed(SEED); random.seed(SEED)
    torch.set_num_threads(args.threads)
    x, m = load_chips(args.chips)
    pos = (m.reshape(len(m), -1).max(axis=1) > 0)
    print(f'{len(x)} chips ({pos.sum()} with poppy), {x.shape[1]} px', flush=True)
    model = PoppyNet()
    nn.init.constant_(model.body[-1].bias, -3.0)  # prior: poppy is rare
    if args.init:
        import onnx
        from onnx import numpy_helper
        weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in onnx.load(args.init).graph.initializer}
        missing = set(model.state_dict()) - set(weights)
        if missing:
            raise SystemExit(f'train.py: {args.init}: not a PoppyNet export (missing {sorted(missing)})')
        model.load_state_dict({k: weights[k] for k in model.state_dict()})
        print(f'initialised from {args.init}', flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    bs = 48
    steps = args.epochs * ((len(x) + bs - 1) // bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.15)
    rng = np.random.default_rng(SEED)
    t0 = time.time()
    for ep in range(args.epochs):
        order = rng.permutation(len(x))
        tot, nb = 0.0, 0
        model.train()
        for i in range(0, len(order), bs):
            idx = order[i:i + bs]
            c = args.crop
            ox, oy = rng.integers(0, x.shape[2] - c + 1) // STRIDE * STRIDE, rng.integers(0, x.shape[1] - c + 1) // STRIDE * STRIDE
            xb, mb = augment(x[idx, oy:oy + c, ox:ox + c], m[idx, oy:oy + c, ox:ox + c], rng)
            xt, yt = to_tensor(xb, mb)
            logit = model(xt)
            # Focal-style weighting (|target - p|^1.5) keeps the many easy background cells from
            # dominating and makes hard look-alikes count; no extra weight on positives.
            with torch.no_grad():
                w = (yt - torch.sigmoid(logit)).abs().pow(1.5) + 0.05
            loss = (F.binary_cross_entropy_with_logits(logit, yt, reduction='none') * w).sum() / w.sum()
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            tot += loss.item(); nb += 1
        print(f'epoch {ep + 1}/{args.epochs} loss {tot / nb:.4f} {time.time() - t0:.0f} s', flush=True)
    model.eval()
    onnx_path = os.path.join(args.out, 'model.onnx')
    torch.onnx.export(model, torch.zeros(1, 3, TILE, TILE), onnx_path, input_names=['image'], output_names=['scores'],
                      dynamic_axes={'image': {0: 'n'}, 'scores': {0: 'n'}}, opset_version=17)
    print(f'wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), training {time.time() - t0:.0f} s')
    card_path = os.path.join(args.out, 'model.json')
    card = json.load(open(card_path)) if os.path.exists(card_path) else {}
    card.update({
        'name': 'poppy-synth',
        'version': card.get('version', '1.0.0'),
        'task': 'segmentation',
        'input': {'name': 'image', 'size': TILE, 'channels': ['R', 'G', 'B'], 'scale': SCALE, 'mean': [MEAN] * 3, 'std': [STD] * 3},
        'output': {'name': 'scores', 'activation': 'sigmoid', 'stride': STRIDE},
        'gsd_m': 0.15,
        'tile_stride': 224,
        'classes': ['background', 'poppy'],
        'positive_class': 'poppy',
        'thresholds': card.get('thresholds', {'high': 0.6, 'low': 0.35, 'min_area_m2': 1.0}),
        'training': {
            'data': args.data_note or 'synthetic only: packages/synth procedural scenes, seeds 1000-1026 and 1100-1114 (3-8.5 cm GSD, 6 CRSs), 2249 chips at 0.15 m',
            'warning': ('Poppy seen only in synthetic imagery (real imagery used only as negatives). Fine-tune on real labelled imagery before operational use. 罂粟样本仅来自合成影像（真实影像仅作负样本），实际使用前须用真实标注影像微调。'
                        if 'REAL' in (args.data_note or '') else
                        'Trained on synthetic imagery only. Fine-tune on real labelled imagery before operational use. 仅用合成影像训练，实际使用前须用真实标注影像微调。'),
            'recipe': 'models/poppy-synth/train.py',
            'command': 'npm run train:model',
            'seed': SEED,
        },
    })
    card.setdefault('metrics', {})
    with open(card_path, 'w') as f:
        json.dump(card, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print(f'wrote {card_path}')


if __name__ == '__main__':
    main()
