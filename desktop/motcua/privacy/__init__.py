"""Citizens' personal data at rest and in transit: sealed (encrypted) files, backup keys, disclosures."""
