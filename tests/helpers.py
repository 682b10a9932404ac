"""Helpers shared by the test files (plain functions; fixtures are in conftest.py)."""

import re
import signal
from pathlib import Path

TAG = re.compile(r"^<!-- test: (?P<tag>[\w-]+) -->\n```\w*\n(?P<body>.*?)\n```$", flags=re.M | re.S)


def tagged_block(path, tag):
    """The code block of the Markdown file ``path`` that the line ``<!-- test: tag -->`` precedes,
    without its fences: how a test reads a command that the docs tell users to run. Fails unless
    exactly one block has the tag."""
    blocks = [match["body"] for match in TAG.finditer(Path(path).read_text()) if match["tag"] == tag]
    assert len(blocks) == 1, f"{path}: {len(blocks)} code blocks tagged <!-- test: {tag} -->, expected 1"
    return blocks[0]


def interruptible():
    """``preexec_fn`` of a child that a test interrupts: SIGINT to its default, which Python turns into
    KeyboardInterrupt (a child of a shell's background job, 'pytest ... &', inherits SIGINT ignored and would never
    see the Ctrl-C)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
