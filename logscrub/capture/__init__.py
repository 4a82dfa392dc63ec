"""Packet captures (pcap, pcapng): read, scrubbed packet by packet, written back.

`magic.capture_format` tells a capture from a log; `scrub.scrub_capture` does the work
(the Scrubber calls it for inputs that are captures).
"""
