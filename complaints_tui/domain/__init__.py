"""Pure rules of the complaints procedures: no database, no UI.

Imports only the standard library and ``holidays``.
"""
