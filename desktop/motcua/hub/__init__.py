"""motcua.hub: the provincial sync hub, a FastAPI server the communes' desks push to and pull from.

Rooms: ``api`` (the HTTP routes, their dependencies, body limits), ``communes`` (what a desk does at the
hub: enrol, push, pull, USB bundles), ``province`` (what the province does: publish, decide, watch,
add reports up), ``store`` (the database, its schema and migrations, the feed and event log, attachment
files), ``service`` (settings and the running hub's lifetime); ``cli`` is `motcua-hub`, ``errors`` the one
exception type they all raise. The hub shares ``motcua.domain`` and ``motcua.protocol`` with the desk and
never imports the desk's store, sync client or windows (tests/test_architecture.py).
"""
