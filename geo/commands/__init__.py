"""Click commands that are imported only when they run (see ``geo.cli.COMMANDS``)."""
