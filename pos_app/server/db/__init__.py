"""The server database: models, engines, migrations."""
