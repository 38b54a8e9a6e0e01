"""The image and convolution views (notes chapters 3 and 4), each a widget fed by Snapshots.

Every view: ``View(parent=None)``, ``set_network(spec_or_network)``, ``show_snapshot(snapshot)``,
``select_layer(layer_id)``, ``set_probe(index)``. ``PredictionsView.show_predictions(...)`` and
``AutoencoderView.show_autoencoder(...)`` take data the main window computes in the worker.
"""
from .feature_maps import FeatureMapsView
from .filters import FiltersView
from .pooling import PoolingView
from .conv_mechanics import ConvMechanicsView
from .predictions import PredictionsView
from .autoencoder import AutoencoderView

__all__ = ["FeatureMapsView", "FiltersView", "PoolingView", "ConvMechanicsView", "PredictionsView", "AutoencoderView"]
