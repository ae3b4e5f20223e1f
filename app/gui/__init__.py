"""The desktop face of Satchel (PySide6). Only this package imports Qt."""
