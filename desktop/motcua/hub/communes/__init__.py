"""What a commune's desk does at the hub: enrol and authenticate (``accounts``), push events that are
checked in hub order and stored or quarantined (``ingest``, with the dossier-code rules of ``codes``),
pull its view of the feed (``feed``), and exchange signed USB bundles instead (``bundles``)."""
