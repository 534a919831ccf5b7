#!/usr/bin/python3
"""Builds the two tiny ONNX models the tiles tests use, with their model cards (docs/model-card.md).

Run with Debian's python3-onnx:  /usr/bin/python3 packages/tiles/scripts/make-test-models.py
Both models score "redness" (R - (G+B)/2 of the normalised input), which is how the test fixtures paint plots.
  redness-seg: AveragePool 8x8 (stride 8) -> 1x1 Conv -> logits [N,1,8,8]   (segmentation, stride 8)
  redness-cls: GlobalAveragePool -> 1x1 Conv (2 classes) -> Flatten -> [N,2] (tile-classifier, softmax)
"""
import json
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'models')
SIZE = 64
K = 4.0        # logit slope per normalised redness unit
BIAS = 1.4     # normalised redness at which the score is 0.5
# Normalised input x = (v/255 - 0.5) / 0.25, so redness_n = xR - (xG + xB)/2.
W = np.array([[K, -K / 2, -K / 2]], dtype=np.float32).reshape(1, 3, 1, 1)
B = np.array([-K * BIAS], dtype=np.float32)


def card(name, task, output, activation, extra):
    c = {
        'name': name,
        'version': '0.0.1',
        'task': task,
        'input': {'name': 'image', 'size': SIZE, 'channels': ['R', 'G', 'B'], 'scale': 255,
                  'mean': [0.5, 0.5, 0.5], 'std': [0.25, 0.25, 0.25]},
        'output': {'name': 'scores', 'activation': activation, **output},
        'gsd_m': 0.1,
        'tile_stride': 48,
        'classes': ['background', 'poppy'],
        'positive_class': 'poppy',
        'thresholds': {'high': 0.6, 'low': 0.35, 'min_area_m2': 1.0},
        'training': {'data': 'none: hand-set weights scoring redness, for tests only',
                     'warning': 'Test fixture. Detects red paint, not poppy.',
                     'recipe': 'packages/tiles/scripts/make-test-models.py', 'seed': 0},
    }
    c.update(extra)
    return c


def save(name, graph, c):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='tiandi-tests')
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(d, 'model.onnx'))
    with open(os.path.join(d, 'model.json'), 'w') as f:
        json.dump(c, f, indent=2)
        f.write('\n')


inp = helper.make_tensor_value_info('image', TensorProto.FLOAT, ['N', 3, SIZE, SIZE])

seg = helper.make_graph(
    [helper.make_node('AveragePool', ['image'], ['pooled'], kernel_shape=[8, 8], strides=[8, 8]),
     helper.make_node('Conv', ['pooled', 'w', 'b'], ['scores'], kernel_shape=[1, 1])],
    'redness_seg', [inp],
    [helper.make_tensor_value_info('scores', TensorProto.FLOAT, ['N', 1, SIZE // 8, SIZE // 8])],
    [numpy_helper.from_array(W, 'w'), numpy_helper.from_array(B, 'b')])
save('redness-seg', seg, card('redness-seg', 'segmentation', {'stride': 8}, 'sigmoid', {}))

W2 = np.concatenate([np.zeros_like(W), W], axis=0)
B2 = np.array([0.0, -K * BIAS], dtype=np.float32)
cls = helper.make_graph(
    [helper.make_node('GlobalAveragePool', ['image'], ['pooled']),
     helper.make_node('Conv', ['pooled', 'w', 'b'], ['logits'], kernel_shape=[1, 1]),
     helper.make_node('Flatten', ['logits'], ['scores'], axis=1)],
    'redness_cls', [inp],
    [helper.make_tensor_value_info('scores', TensorProto.FLOAT, ['N', 2])],
    [numpy_helper.from_array(W2, 'w'), numpy_helper.from_array(B2, 'b')])
save('redness-cls', cls, card('redness-cls', 'tile-classifier', {}, 'softmax', {}))
print('wrote', OUT)
