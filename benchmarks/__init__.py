"""The benchmark: synthetic playbooks (synth.py) and the one command that measures them (run.py)."""
