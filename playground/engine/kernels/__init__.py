"""numba kernels of the convolution family: im2col/col2im, layout changes fused with bias and
activation, and pooling/unpooling. Every kernel is a module-level ``@njit(nogil=True, cache=True)``
function over C-contiguous arrays that writes into an ``out`` array it is given; the matrix
products stay in numpy's BLAS (DESIGN.md section 3)."""
from .direct import (crop_planes, direct_backward, direct_forward,  # noqa: F401
                     pad_planes, padded_length)
from .im2col import col2im, im2col  # noqa: F401
from .layout import (act_grad, act_grad_to_rows, bias_act_from_rows,  # noqa: F401
                     bias_act_inplace, planes_to_rows, rows_to_planes)
from .pooling import (avgpool_backward, avgpool_forward, maxpool_backward,  # noqa: F401
                      maxpool_forward, unpool_backward, unpool_forward)
