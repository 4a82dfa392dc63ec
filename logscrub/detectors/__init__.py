"""Detectors turn scanned text into Findings. They know nothing of files or outputs."""
