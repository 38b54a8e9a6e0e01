"""At 1280x800 the training toolbar shows every control: none is pushed into the overflow menu,
where a student would never find the learning rate."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_every_toolbar_control_is_on_screen_at_1280(qtbot, make_main_window):
    window = make_main_window()
    qtbot.wait(50)
    toolbar = window.toolbar
    hidden = [action.text() or type(toolbar.widgetForAction(action)).__name__
              for action in toolbar.actions()
              if action.isVisible() and not toolbar.widgetForAction(action).isVisible()]
    assert hidden == []
    assert toolbar.lr.isVisible() and toolbar.sizeHint().width() <= toolbar.width()
