"""Offline image sets, generated in a fraction of a second: shapes, stroke digits, orientations."""
