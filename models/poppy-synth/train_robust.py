#!/usr/bin/python3
"""train_verifier.py with one more augmentation, --degrade P: a share P of ALL training chips (poppy and background
alike, so resampling artefacts carry no label) is taken back to a coarser source grid, resampled there as gdalwarp
would (a small turn and rescale, nearest / bilinear / cubic), optionally white-balanced and JPEG-compressed at that
grid (quality 40-90, 4:2:0 chroma like a YCbCr JPEG GeoTIFF), then read up to 5 cm by area averaging as the scan's
reader does. The point: a nearest-neighbour reprojection or JPEG blocking seen at 10 cm (a 2x blow-up in the
verifier's window) must not look like poppy.

Every other flag is train_verifier.py's (imported, unchanged). Usage:
  /usr/bin/python3 models/poppy-synth/train_robust.py --degrade 0.5 <train_verifier.py flags>
"""
import io, os, sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_verifier as tv  # noqa: E402

SIZE = tv.SIZE
_base_augment = tv.augment
P_DEGRADE = 0.0
WB = (0.82, 1.12)  # per-channel gain range of the white-balance step (--degrade-wb lo,hi)


def degrade_one(im, rng):
    """One chip (64, 64, 3) float32 in 0-255, degraded at a coarser source grid."""
    f = 2.0 if rng.random() < 0.4 else rng.uniform(1.0, 2.4)  # source GSD / 5 cm; 2.0 = the 10-cm grid exactly
    s = max(16, int(round(SIZE / f)))
    t = torch.from_numpy(np.ascontiguousarray(im, dtype=np.float32)).permute(2, 0, 1)[None]
    small = F.interpolate(t, size=(s, s), mode='area')
    if rng.random() < 0.7:  # reprojection: a turn of a few degrees (meridian convergence), scale ~1, sub-pixel shift
        a = np.deg2rad(rng.uniform(-4, 4))
        sc = rng.uniform(0.97, 1.03)
        sh = rng.uniform(-1, 1, 2) / s
        theta = torch.tensor([[[sc * np.cos(a), -sc * np.sin(a), sh[0]], [sc * np.sin(a), sc * np.cos(a), sh[1]]]], dtype=torch.float32)
        grid = F.affine_grid(theta, list(small.shape), align_corners=False)
        mode = ('nearest', 'nearest', 'bilinear', 'bicubic')[int(rng.integers(0, 4))]
        small = F.grid_sample(small, grid, mode=mode, padding_mode='reflection', align_corners=False)
    arr = small[0].permute(1, 2, 0).numpy()
    if rng.random() < 0.4:  # white balance and exposure curve, as a colour-corrected orthomosaic
        arr = np.clip(arr * rng.uniform(WB[0], WB[1], (1, 1, 3)), 0, 255)
        arr = 255 * (arr / 255) ** rng.uniform(0.8, 1.25)
    if rng.random() < 0.5:  # JPEG at the source grid (blocks of 8 source pixels, chroma at half resolution)
        buf = io.BytesIO()
        Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(buf, 'JPEG', quality=int(rng.integers(40, 91)), subsampling=2)
        arr = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert('RGB'), np.float32)
    small = torch.from_numpy(np.ascontiguousarray(arr, dtype=np.float32)).permute(2, 0, 1)[None]
    return F.interpolate(small, size=(SIZE, SIZE), mode='area')[0].permute(1, 2, 0).numpy()


def degrade(x, rng, p):
    if p <= 0:
        return x
    sel = np.nonzero(rng.random(len(x)) < p)[0]
    if not len(sel):
        return x
    x = np.array(x, dtype=np.float32)
    for j in sel:
        x[j] = degrade_one(x[j], rng)
    return x


def augment(x, rng, p_resample=0.0, y=None, real=None, p_composite=0.0, p_camera=0.0):
    # composite + turns + resample + camera + photometric as before; the source-grid degradation after the
    # composite (so pasted plots and their real ground are degraded together) and before the rest.
    x = tv.composite(x, y, real, rng, p_composite)
    x = degrade(x, rng, P_DEGRADE)
    return _base_augment(x, rng, p_resample, None, None, 0.0, p_camera)


if __name__ == '__main__':
    if '--degrade' in sys.argv:
        i = sys.argv.index('--degrade')
        P_DEGRADE = float(sys.argv[i + 1])
        del sys.argv[i:i + 2]
    if '--degrade-wb' in sys.argv:
        i = sys.argv.index('--degrade-wb')
        WB = tuple(float(v) for v in sys.argv[i + 1].split(','))
        del sys.argv[i:i + 2]
    print(f'degrade white balance gains {WB}', flush=True)
    print(f'degrade share {P_DEGRADE}', flush=True)
    tv.augment = augment
    tv.main()
