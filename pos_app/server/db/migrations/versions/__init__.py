"""Migration scripts, one per revision (see ``pos_app.server.db.migrate``)."""
