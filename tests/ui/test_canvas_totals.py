"""The parameter count sits on a card in the canvas's bottom right corner: a network taller than
the view scrolls, and scrolled to its end no block is left under the card (issue 9 §3: "the
61,706 parameters label sits over the last block")."""
from __future__ import annotations

from playground.project.document import NetworkDocument
from playground.project.examples import load_example
from playground.ui.canvas import EditorController
from playground.ui.canvas.view import TOTALS_ROOM


def test_scrolled_to_the_end_the_last_block_is_above_the_totals_card(qtbot):
    controller = EditorController(NetworkDocument(load_example("notes_cnn_rgb").network))
    view = controller.view
    qtbot.addWidget(view)
    view.resize(330, 400)                       # LeNet is far taller than this: it scrolls
    view.show()
    qtbot.waitExposed(view)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=2000)
    bar.setValue(bar.maximum())
    last = view.network_scene.ordered_blocks()[-1]
    bottom = view.mapFromScene(last.sceneBoundingRect().bottomLeft()).y()
    card_top = view.viewport().height() - 28
    assert bottom <= card_top, (bottom, card_top)
    assert TOTALS_ROOM >= 28


def test_a_network_that_fits_shows_no_scroll_bar(qtbot):
    controller = EditorController(NetworkDocument(load_example("spiral").network))
    view = controller.view
    qtbot.addWidget(view)
    view.resize(330, 700)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(50)
    assert view.verticalScrollBar().maximum() == 0
