"""Finding dossiers: the Hôm nay board (my work first, then what is due or overdue), the Hồ sơ list
searched, filtered and sorted in SQL, the dossier table view both share, and the list filters.
"""
