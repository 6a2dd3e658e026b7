"""Tables, sessions and migrations: the only place that knows the database."""
