"""Model provider plugins: small stand-ins for the real `terraform-provider` (authentik)
and `harbor` plugins, which no registry reachable here ships.

Each is a program that serves Pulumi's provider gRPC service and drives the loopback API
stand-ins (tests/stand_ins/) the way the Terraform provider it models drives
the real API: the same requests, the same reads after writes, the same error texts.
Every behaviour cites the real provider's source, file and function. They are models,
not the products: when a held-out run of the real plugins disagrees
(../shared/reference/real-systems.md, wire/), the model is what is wrong.
"""
