"""``python -m readout_qa.cli``: the same command as ``readout-qa``."""

from readout_qa.cli import main

main()
