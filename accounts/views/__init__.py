"""Accounts' pages, one module per feature; accounts.urls routes to them."""
