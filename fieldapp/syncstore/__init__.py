"""Persistence for the sync engine: loads records as dataclasses, writes what it decided.

`sync/` decides; this package reads the rows a batch needs in one query per entity, calls
`sync.apply_batch`, and writes records, the change feed, the mutation log, quarantine,
conflicts and photo links in the request's transaction.
"""
