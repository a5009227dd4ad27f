"""The tamper-evident audit log: the hash chain (chain.py, pure) and browsing it (browse.py)."""
