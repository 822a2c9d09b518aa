"""What the desk and the provincial hub both speak: the wire messages (``messages``), Ed25519 signing
(``signing``) and the report hashing (``reports``). Neither side's internals live here: the hub imports
this package and never ``motcua.sync``, ``motcua.store`` or ``motcua.ui`` (tests/test_architecture.py)."""
