"""The installed version of grantstats."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("grantstats")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
