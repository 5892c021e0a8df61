"""The import of a team's spreadsheet, by responsibility: the columns and their words, the
problems it reports, reading rows into stage records and grouping them into cases.

``complaints_tui.services.importer`` is the entry point the command and the app call.
"""
