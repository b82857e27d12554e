"""ID tokens as authentik signs them and as Harbor checks them: RS256 JWTs and a JWKS.

authentik signs with the provider's key pair (providers/oauth2/models.py `jwt_key`:
RS256 for an RSA key); Harbor verifies through go-oidc: the signature with a key of the
provider's `jwks_uri`, `iss` equal to the issuer it was configured with, `aud` holding
its client ID, `exp` in the future (oidc/verify.go `Verify`).
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _number(value: int) -> str:
    return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass
class SigningKey:
    kid: str = "stand-in-key"
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        jwk = {"kty": "RSA", "alg": "RS256", "use": "sig", "kid": self.kid}
        return {"keys": [{**jwk, "n": _number(numbers.n), "e": _number(numbers.e)}]}

    def sign(self, claims: dict[str, Any]) -> str:
        header = {"alg": "RS256", "kid": self.kid, "typ": "JWT"}
        signing = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
        signature = self.key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing}.{b64(signature)}"


class BadToken(ValueError):
    """A token go-oidc's verifier refuses; the text says why."""


def verify(token: str, jwks: dict[str, Any], issuer: str, audience: str) -> dict[str, Any]:
    """The claims of ``token``, as go-oidc's IDTokenVerifier accepts them."""
    try:
        head, body, signature = token.split(".")
        header, claims = json.loads(unb64(head)), json.loads(unb64(body))
    except ValueError as exc:
        raise BadToken(f"oidc: malformed jwt: {exc}") from None
    keys = [k for k in jwks.get("keys", []) if k.get("kid") == header.get("kid")]
    if header.get("alg") != "RS256" or not keys:
        raise BadToken("failed to verify signature: no key of the token's kind")
    n, e = (int.from_bytes(unb64(keys[0][x]), "big") for x in ("n", "e"))
    public = rsa.RSAPublicNumbers(e, n).public_key()
    try:
        public.verify(
            unb64(signature), f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        raise BadToken("failed to verify signature") from None
    if claims.get("iss") != issuer:
        raise BadToken(f"oidc: id token issued by a different provider, expected {issuer!r}")
    audiences = claims.get("aud")
    if audience not in (audiences if isinstance(audiences, list) else [audiences]):
        raise BadToken(f"oidc: expected audience {audience!r}")
    if claims.get("exp", 0) < time.time():
        raise BadToken("oidc: token is expired")
    return dict(claims)
