"""Printed sheets (reportlab) and exports. Imported only when something is printed or exported."""
