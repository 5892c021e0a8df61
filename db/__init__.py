"""Persistence: SQLModel tables, the engine/session factory and repositories.

Also the default home of the local database file ``db/complaints.sqlite3`` (git-ignored).
"""
