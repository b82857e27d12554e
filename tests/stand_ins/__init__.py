"""Loopback stand-ins of the authentik and Harbor APIs, shared by the tools' tests
(doctor, adopt) and the engine suite (the model plugins drive them).

Small and stateful: each endpoint answers as the server's API description and source
say (authentik ``schema.yml``, Harbor ``api/v2.0/swagger.yaml``), computing what the
server computes (primary keys, UUIDs, generated secrets, error bodies) rather than
echoing what it was sent.
"""
