"""The Qt window of salesoffice. It calls app.services only; no rule of the domain lives here."""
