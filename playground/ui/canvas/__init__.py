"""The network editor: a canvas of layer blocks, the Layers palette, the Inspector, undo/redo.

``EditorController(document, undo_stack)`` builds and connects everything; see controller.py.
"""
from .controller import EditorController
from .inspector import InspectorPanel
from .palette import LayersPalette
from .scene import NetworkScene
from .view import LAYER_MIME, NetworkView

__all__ = ["EditorController", "InspectorPanel", "LayersPalette", "NetworkScene", "NetworkView",
           "LAYER_MIME"]
