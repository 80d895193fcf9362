"""Showroom upkeep (样板房管理): the model apartments and their item lists, the check templates, the day's checks."""
