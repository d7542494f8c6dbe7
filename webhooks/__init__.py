"""Outgoing publish webhooks: registered in the admin, signed, sent by the worker."""
