"""Per-layer lines listed as the network orders its layers, input to output.

A view makes a layer's line when it first meets the layer, so its legend follows the order in
which lines were made. That is not always the network's: after a layer is inserted in the middle,
a frame of the old network drawn after the rebuild's clear makes the old layers' lines first and
the new layer's comes last. These helpers put the lines and their legend back in the network's
order; layers no longer in the network keep their place after the others."""
from __future__ import annotations

from typing import Iterable, Sequence


def network_order(known: Iterable[str], network: Sequence[str]) -> list[str]:
    """The ``known`` layers in the order of ``network`` (its layers, input to output); known
    layers that are not in it follow, in their own order."""
    known = list(known)
    have, there = set(known), set(network)
    return [name for name in network if name in have] + \
        [name for name in known if name not in there]


def in_order(table: dict, order: Sequence[str]) -> dict:
    """``table`` (keyed by layer) with its keys in ``order`` (which holds every key)."""
    return {name: table[name] for name in order}


def relist_legend(legend, lines: dict) -> None:
    """The legend's entries again, one per item of ``lines`` (layer -> the item it shows), in
    the dict's order."""
    legend.clear()
    for name, item in lines.items():
        legend.addItem(item, name)
