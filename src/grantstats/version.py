"""The version of grantstats: the one place it is written (hatchling reads it from here
for the package's metadata, so reading it costs no metadata lookup at start-up)."""

__version__ = "0.1.0"
