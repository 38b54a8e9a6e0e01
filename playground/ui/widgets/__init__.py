"""Small shared widgets of the main window."""
