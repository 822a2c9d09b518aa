"""Citizens' rights over their data: the access report (what the desk holds about one ID number), as data and
as a printable PDF. The encryption itself lives lower down: sealed files and bundles in motcua.protocol, the
backup keys in motcua.store.backup_keys."""
