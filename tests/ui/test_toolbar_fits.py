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
    # and deep into a long run: big counters must not push the learning rate off either
    toolbar.show_counts(123_456, 98_765_432, 187_654.0, running=True)
    qtbot.wait(50)
    assert toolbar.lr.isVisible() and toolbar.sizeHint().width() <= toolbar.width()
    assert toolbar.step.text() == "98.8 M" and "98,765,432" in toolbar.step.toolTip()


def test_counters_fit_in_seven_characters():
    from playground.ui.actions import compact_count
    assert [compact_count(n) for n in (0, 999_999, 1_234_567, 12_345_678, 123_456_789)] == \
        ["0", "999,999", "1.23 M", "12.3 M", "123 M"]
