"""The operations staff perform, one module per area. Each takes the acting staff member and a unit of work."""
