"""Export a network out of Playground: PyTorch code and weights, ONNX (optional extra), history CSV.

Qt-free; uses ``engine`` and ``project`` only. ``onnx_export`` needs the ``onnx`` package
(``pip install -e .[onnx]``) and is imported on demand.
"""
from .history import history_to_csv, read_history_csv
from .torch_export import export_pytorch

__all__ = ["export_pytorch", "history_to_csv", "read_history_csv"]
