"""Qt item models over the store: ids held, rows fetched lazily, sorting and filtering done in SQL."""
