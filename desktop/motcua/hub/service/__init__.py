"""The running hub: settings from options, environment and defaults (``config``), the hub object that
holds the migrated database, attachment store and signing key (``hub``), and workers that end with their
master under `motcua-hub serve --workers N` (``lifetime``)."""
