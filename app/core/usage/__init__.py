"""Usage: the rep's durable event journal and its upload through the hub's inbox."""
