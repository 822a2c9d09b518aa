"""Who is at the desk: signing in, locking the window when idle or on Ctrl+L, and keeping one running
copy of the app per store.
"""
