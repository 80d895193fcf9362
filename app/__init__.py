"""salesoffice core: the rules of a sales office, its data and its printed sheets. No Qt here."""
__version__ = "0.1.0"
