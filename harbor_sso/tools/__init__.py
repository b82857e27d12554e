"""Offline tools: `harbor-sso plan`, `harbor-sso verify`, and the mock engine they share."""
