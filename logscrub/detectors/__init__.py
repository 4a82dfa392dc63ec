"""Detectors turn scanned text into Findings. They know nothing of files or outputs."""

# Validators living in their own modules register themselves when imported; import them
# here so that every rule pack can name them.
from . import prose as _prose  # noqa: F401
