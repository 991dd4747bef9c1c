#!/usr/bin/env python3
"""A local demo OIDC issuer for the local stack: makes an RSA key (with openssl), its JWKS and the
identity-verify issuers file, and mints Login.gov-style id_tokens signed with it.
  demo_issuer.py setup DIR           writes DIR/issuer-key.pem, DIR/jwks.json, DIR/issuers.json
  demo_issuer.py mint DIR SUB ACR    prints one RS256 id_token for SUB (valid for 1 hour)
Only for local demonstrations: production issuers are configured with their real JWKS URL."""
import base64
import json
import os
import subprocess
import sys
import time
import uuid

ISSUER = "https://idp.local.civicpulse.test/"
AUDIENCE = "urn:gov:gsa:openidconnect.profiles:sp:sso:civicpulse:local"
KID = "local-demo-1"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def setup(directory: str) -> None:
    key = os.path.join(directory, "issuer-key.pem")
    if not os.path.exists(key):
        subprocess.run(["openssl", "genrsa", "-out", key, "2048"], check=True, capture_output=True)
    modulus_hex = subprocess.run(["openssl", "rsa", "-in", key, "-noout", "-modulus"], check=True, capture_output=True, text=True).stdout
    modulus = bytes.fromhex(modulus_hex.strip().split("=", 1)[1])
    jwks = {"keys": [{"kty": "RSA", "kid": KID, "use": "sig", "alg": "RS256", "n": b64url(modulus), "e": b64url((65537).to_bytes(3, "big"))}]}
    with open(os.path.join(directory, "jwks.json"), "w") as handle:
        json.dump(jwks, handle)
    issuers = {"clockSkewSeconds": 60, "issuers": [{"issuer": ISSUER, "audiences": [AUDIENCE], "jwks": os.path.join(directory, "jwks.json")}]}
    with open(os.path.join(directory, "issuers.json"), "w") as handle:
        json.dump(issuers, handle, indent=2)


def mint(directory: str, subject: str, acr: str) -> str:
    now = int(time.time())
    header = {"alg": "RS256", "kid": KID, "typ": "JWT"}
    claims = {"iss": ISSUER, "sub": subject, "aud": AUDIENCE, "acr": acr, "nonce": uuid.uuid4().hex * 2, "jti": uuid.uuid4().hex,
              "iat": now - 5, "nbf": now - 5, "exp": now + 3600}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", os.path.join(directory, "issuer-key.pem")],
                               input=signing_input.encode(), check=True, capture_output=True).stdout
    return f"{signing_input}.{b64url(signature)}"


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2])
    elif sys.argv[1] == "mint":
        print(mint(sys.argv[2], sys.argv[3], sys.argv[4]))
