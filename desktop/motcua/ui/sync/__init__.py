"""Talking to the province: the Đồng bộ page (what is still to send, the last rounds), the background
sync service, the conflicts panel, enrolling this desk with the hub, and USB bundles.
"""
