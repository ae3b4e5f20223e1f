"""The command-line face of Satchel: thin commands over the core services."""
