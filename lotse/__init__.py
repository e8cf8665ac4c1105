"""Lotse: partner-network directory and warm handover, as Wagtail apps."""
