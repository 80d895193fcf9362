"""Pure rules with no database: given facts, they say what happens."""
