"""One module per paper; each exposes ``story(data, spec) -> list[Flowable]``."""
