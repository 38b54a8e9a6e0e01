"""The desktop app: PySide6 + pyqtgraph. ``playground.ui.app.run(options)`` opens the main window."""
