#!/usr/bin/env python3
"""A local demo OIDC issuer for the local stack: makes an RSA key (with openssl), its JWKS and the
identity-verify issuers file, mints Login.gov-style id_tokens signed with it, and serves a small
OpenID provider for staff sign-in (authorization code + PKCE, private_key_jwt client authentication).
  demo_issuer.py setup DIR           writes DIR/issuer-key.pem, DIR/jwks.json, DIR/issuers.json, and for
                                     staff sign-in DIR/client-key.pem (reporting's private key),
                                     DIR/clients.json (registered clients, public JWKS) and DIR/staff.json
  demo_issuer.py mint DIR SUB ACR [--agency A] [--event-id ID | --correlation-id ID] [--no-jti]
                                     prints one RS256 id_token for SUB (valid for 1 hour), bound as identity-verify
                                     requires: with --agency only, to agency A by its own audience (with a jti);
                                     with --event-id or --correlation-id, to that one response or identity request
                                     of A by nonce (the shared audience); with neither, to nothing (refused)
  demo_issuer.py mint-many DIR ACR  reads lines "SUB AGENCY EVENT_ID" from standard input and prints, a line each,
                                     a token for SUB bound by nonce to that response (one process for many tokens)
  demo_issuer.py serve DIR PORT [--issuer URL] [--redirect-uri URI ...] [--detached]
                                     serves /.well-known/openid-configuration, /jwks, /authorize, /token
                                     on 127.0.0.1:PORT (issuer default http://127.0.0.1:PORT/) and writes
                                     DIR/staff-issuer.json, the endpoints reporting's sign-in is configured with
Only for local demonstrations: production issuers are configured with their real JWKS URL."""
import argparse
import base64
import hashlib
import hmac
import html
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ISSUER = "https://idp.local.civicpulse.test/"
AUDIENCE = "urn:gov:gsa:openidconnect.profiles:sp:sso:civicpulse:local"
# Each demo agency is also a relying party of its own: a token for that audience is bound to the agency.
AGENCIES = ["IRS", "SSA", "VA"]
KID = "local-demo-1"
CLIENT_ID = "urn:gov:gsa:openidconnect.profiles:sp:sso:civicpulse:reporting"
CLIENT_KID = "reporting-client-1"
DEFAULT_REDIRECT_URIS = ["http://127.0.0.1:8084/auth/callback", "http://localhost:8084/auth/callback"]
STAFF = [
    {"sub": "staff-irs-analyst", "email": "analyst@irs.example.gov", "name": "IRS CX analyst", "agency": "IRS"},
    {"sub": "staff-ssa-analyst", "email": "analyst@ssa.example.gov", "name": "SSA CX analyst", "agency": "SSA"},
    {"sub": "staff-admin", "email": "admin@civicpulse.example.gov", "name": "CivicPulse administrator", "agency": None},
]
ACR_VALUES = [
    "http://idmanagement.gov/ns/assurance/ial/1", "http://idmanagement.gov/ns/assurance/ial/2",
    "urn:acr.login.gov:auth-only", "urn:acr.login.gov:verified", "urn:acr.login.gov:verified-facial-match-required",
    "http://idmanagement.gov/ns/assurance/aal/2", "urn:gov:gsa:ac:classes:sp:PasswordProtectedTransport:duo",
]
CODE_LIFETIME = 60
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# DER prefix of a SHA-256 DigestInfo (RFC 8017 section 9.2, note 1).
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def rsa_key(path: str) -> bytes:
    """Makes a 2048-bit RSA key at PATH unless one is there; returns its modulus."""
    if not os.path.exists(path):
        subprocess.run(["openssl", "genrsa", "-out", path, "2048"], check=True, capture_output=True)
        os.chmod(path, 0o600)
    modulus_hex = subprocess.run(["openssl", "rsa", "-in", path, "-noout", "-modulus"], check=True, capture_output=True, text=True).stdout
    return bytes.fromhex(modulus_hex.strip().split("=", 1)[1])


def rsa_jwk(kid: str, modulus: bytes) -> dict:
    return {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": b64url(modulus), "e": b64url((65537).to_bytes(3, "big"))}


def write_json(path: str, value) -> None:
    with open(path + ".tmp", "w") as handle:
        json.dump(value, handle, indent=2)
    os.replace(path + ".tmp", path)


def setup(directory: str) -> None:
    key = os.path.join(directory, "issuer-key.pem")
    modulus = rsa_key(key)
    jwks = {"keys": [rsa_jwk(KID, modulus)]}
    with open(os.path.join(directory, "jwks.json"), "w") as handle:
        json.dump(jwks, handle)
    issuers = {"clockSkewSeconds": 60, "issuers": [{"issuer": ISSUER, "audiences": [AUDIENCE],
                                                    "agencyAudiences": {agency: [agency_audience(agency)] for agency in AGENCIES},
                                                    "jwks": os.path.join(directory, "jwks.json")}]}
    with open(os.path.join(directory, "issuers.json"), "w") as handle:
        json.dump(issuers, handle, indent=2)
    # Staff sign-in: reporting is a registered relying party with its own key pair (private_key_jwt).
    client_modulus = rsa_key(os.path.join(directory, "client-key.pem"))
    clients_path = os.path.join(directory, "clients.json")
    redirect_uris = list(DEFAULT_REDIRECT_URIS)
    if os.path.exists(clients_path):
        with open(clients_path) as handle:
            for client in json.load(handle).get("clients", []):
                if client.get("client_id") == CLIENT_ID:
                    redirect_uris = client.get("redirect_uris", redirect_uris)
    clients = {"clients": [{"client_id": CLIENT_ID, "redirect_uris": redirect_uris, "jwks": {"keys": [rsa_jwk(CLIENT_KID, client_modulus)]}}]}
    write_json(clients_path, clients)
    staff_path = os.path.join(directory, "staff.json")
    if not os.path.exists(staff_path):
        write_json(staff_path, {"staff": STAFF})


def agency_audience(agency: str) -> str:
    return f"{AUDIENCE}:{agency.lower()}"


def use_nonce(agency: str, use_id: str, request: bool = False) -> str:
    """The nonce that binds a token to one response (or identity request) of an agency, as identity-verify
    derives it: base64url(SHA-256("civicpulse:" + agency + ":" + eventId)), "civicpulse-request:" for requests."""
    prefix = "civicpulse-request:" if request else "civicpulse:"
    return b64url(hashlib.sha256(f"{prefix}{agency}:{use_id}".encode()).digest())


def mint(directory: str, subject: str, acr: str, agency: str = None, event_id: str = None, correlation_id: str = None,
         jti: bool = True) -> str:
    now = int(time.time())
    header = {"alg": "RS256", "kid": KID, "typ": "JWT"}
    audience, nonce = AUDIENCE, uuid.uuid4().hex * 2
    if agency and (event_id or correlation_id):
        nonce = use_nonce(agency, event_id or correlation_id, request=correlation_id is not None)
    elif agency:
        audience = agency_audience(agency)
    claims = {"iss": ISSUER, "sub": subject, "aud": audience, "acr": acr, "nonce": nonce, "jti": uuid.uuid4().hex,
              "iat": now - 5, "nbf": now - 5, "exp": now + 3600}
    if not jti:
        del claims["jti"]
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", os.path.join(directory, "issuer-key.pem")],
                               input=signing_input.encode(), check=True, capture_output=True).stdout
    return f"{signing_input}.{b64url(signature)}"


def sign_rs256(directory: str, claims: dict) -> str:
    header = {"alg": "RS256", "kid": KID, "typ": "JWT"}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", os.path.join(directory, "issuer-key.pem")],
                               input=signing_input.encode(), check=True, capture_output=True).stdout
    return f"{signing_input}.{b64url(signature)}"


def rs256_valid(jwk: dict, signing_input: bytes, signature: bytes) -> bool:
    """RSASSA-PKCS1-v1_5 with SHA-256 verification (RFC 8017 section 8.2.2) against a public JWK."""
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    size = (n.bit_length() + 7) // 8
    if len(signature) != size or size < 256:
        return False
    value = int.from_bytes(signature, "big")
    if value >= n:
        return False
    encoded = pow(value, e, n).to_bytes(size, "big")
    digest_info = SHA256_DIGEST_INFO + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (size - 3 - len(digest_info)) + b"\x00" + digest_info
    return hmac.compare_digest(encoded, expected)


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


class Issuer:
    """The provider's state: registered clients, staff accounts, issued codes and used assertion ids."""

    def __init__(self, directory: str, issuer: str, extra_redirect_uris: list):
        self.directory = directory
        self.issuer = issuer
        base = issuer.rstrip("/")
        self.authorization_endpoint = base + "/authorize"
        self.token_endpoint = base + "/token"
        self.jwks_uri = base + "/jwks"
        with open(os.path.join(directory, "jwks.json")) as handle:
            self.jwks = json.load(handle)
        with open(os.path.join(directory, "clients.json")) as handle:
            self.clients = {client["client_id"]: client for client in json.load(handle)["clients"]}
        for client in self.clients.values():
            client["redirect_uris"] = list(dict.fromkeys(client["redirect_uris"] + extra_redirect_uris))
        with open(os.path.join(directory, "staff.json")) as handle:
            self.staff = {account["sub"]: account for account in json.load(handle)["staff"]}
        self.lock = threading.Lock()
        self.codes = {}
        self.used_jtis = {}

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer, "authorization_endpoint": self.authorization_endpoint,
            "token_endpoint": self.token_endpoint, "jwks_uri": self.jwks_uri,
            "response_types_supported": ["code"], "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"], "acr_values_supported": ACR_VALUES,
            "scopes_supported": ["openid", "email"], "claims_supported": ["iss", "sub", "aud", "acr", "nonce", "email", "iat", "exp"],
            "prompt_values_supported": ["select_account", "login"],
        }

    def check_authorization(self, query: dict) -> dict:
        """The validated authorization request, or ValueError saying what is wrong."""
        def one(name: str, required: bool = True):
            values = query.get(name, [])
            if len(values) > 1:
                raise ValueError(f"{name} is repeated")
            if required and (not values or not values[0]):
                raise ValueError(f"{name} is missing")
            return values[0] if values else None
        client = self.clients.get(one("client_id"))
        if client is None:
            raise ValueError("client_id is not registered")
        if one("redirect_uri") not in client["redirect_uris"]:
            raise ValueError("redirect_uri is not registered for this client")
        if one("response_type") != "code":
            raise ValueError("response_type must be code")
        if "openid" not in one("scope").split(" "):
            raise ValueError("scope must include openid")
        if one("code_challenge_method") != "S256":
            raise ValueError("code_challenge_method must be S256")
        challenge = one("code_challenge")
        if not (43 <= len(challenge) <= 128):
            raise ValueError("code_challenge has the wrong length")
        if len(one("state")) < 22 or len(one("nonce")) < 22:
            raise ValueError("state and nonce must be at least 22 characters")
        acr = [value for value in one("acr_values").split(" ") if value]
        unknown = [value for value in acr if value not in ACR_VALUES]
        if not acr or unknown:
            raise ValueError("acr_values names no supported value" if not acr else f"acr_values has unsupported {unknown[0]}")
        return {"client_id": one("client_id"), "redirect_uri": one("redirect_uri"), "state": one("state"),
                "nonce": one("nonce"), "code_challenge": challenge, "acr": acr[0],
                "login_hint": one("login_hint", required=False), "scope": one("scope")}

    def issue_code(self, request: dict, subject: str) -> str:
        code = secrets.token_urlsafe(32)
        with self.lock:
            now = time.time()
            self.codes = {key: value for key, value in self.codes.items() if value["expires"] > now - 600}
            self.codes[code] = dict(request, sub=subject, expires=now + CODE_LIFETIME)
        return code

    def authenticate_client(self, form: dict) -> dict:
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            raise OAuthError("invalid_client", "client_assertion_type must be jwt-bearer", 401)
        parts = form.get("client_assertion", "").split(".")
        if len(parts) != 3:
            raise OAuthError("invalid_client", "client_assertion is not a JWS", 401)
        try:
            header = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            signature = b64url_decode(parts[2])
        except ValueError:
            raise OAuthError("invalid_client", "client_assertion is malformed", 401)
        if not isinstance(header, dict) or not isinstance(claims, dict) or header.get("alg") != "RS256":
            raise OAuthError("invalid_client", "client_assertion must be an RS256 JWT", 401)
        client = self.clients.get(claims.get("iss"))
        if client is None or claims.get("sub") != claims.get("iss"):
            raise OAuthError("invalid_client", "client_assertion iss and sub must be a registered client_id", 401)
        if form.get("client_id") not in (None, client["client_id"]):
            raise OAuthError("invalid_client", "client_id differs from the assertion's", 401)
        keys = [key for key in client["jwks"]["keys"] if header.get("kid") in (None, key.get("kid"))]
        signing_input = f"{parts[0]}.{parts[1]}".encode()
        if not any(rs256_valid(key, signing_input, signature) for key in keys):
            raise OAuthError("invalid_client", "client_assertion signature does not verify", 401)
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.token_endpoint not in audiences:
            raise OAuthError("invalid_client", "client_assertion aud must be the token endpoint", 401)
        now = time.time()
        exp, iat, jti = claims.get("exp"), claims.get("iat"), claims.get("jti")
        if not isinstance(exp, (int, float)) or exp <= now:
            raise OAuthError("invalid_client", "client_assertion is expired", 401)
        if exp > now + 3600 or (isinstance(iat, (int, float)) and iat > now + 60):
            raise OAuthError("invalid_client", "client_assertion times are implausible", 401)
        if not isinstance(jti, str) or not jti:
            raise OAuthError("invalid_client", "client_assertion has no jti", 401)
        with self.lock:
            self.used_jtis = {key: value for key, value in self.used_jtis.items() if value > now}
            if jti in self.used_jtis:
                raise OAuthError("invalid_client", "client_assertion jti was used before", 401)
            self.used_jtis[jti] = exp
        return client

    def token(self, form: dict) -> dict:
        if form.get("grant_type") != "authorization_code":
            raise OAuthError("unsupported_grant_type", "grant_type must be authorization_code")
        client = self.authenticate_client(form)
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)  # single use, whatever follows
        if grant is None:
            raise OAuthError("invalid_grant", "code is unknown or was already used")
        if grant["expires"] <= time.time():
            raise OAuthError("invalid_grant", "code expired")
        if grant["client_id"] != client["client_id"]:
            raise OAuthError("invalid_grant", "code was issued to another client")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorization request's")
        verifier = form.get("code_verifier", "")
        if not (43 <= len(verifier) <= 128) or not hmac.compare_digest(b64url(hashlib.sha256(verifier.encode()).digest()), grant["code_challenge"]):
            raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": grant["sub"], "aud": client["client_id"], "acr": grant["acr"],
                  "nonce": grant["nonce"], "jti": uuid.uuid4().hex, "iat": now, "exp": now + 3600}
        email = self.staff.get(grant["sub"], {}).get("email")
        if email and "email" in grant["scope"].split(" "):
            claims["email"], claims["email_verified"] = email, True
        return {"id_token": sign_rs256(self.directory, claims), "token_type": "Bearer",
                "access_token": secrets.token_urlsafe(32), "expires_in": 3600}


class Handler(BaseHTTPRequestHandler):
    issuer: Issuer = None
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        sys.stderr.write("demo_issuer: " + (format % args) + "\n")

    def send(self, status: int, body: bytes, content_type: str, headers: dict = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status: int, value: dict) -> None:
        self.send(status, json.dumps(value).encode(), "application/json")

    def redirect_with_code(self, request: dict, subject: str) -> None:
        code = self.issuer.issue_code(request, subject)
        query = urllib.parse.urlencode({"code": code, "state": request["state"]})
        separator = "&" if "?" in request["redirect_uri"] else "?"
        self.send(302, b"", "text/plain", {"Location": request["redirect_uri"] + separator + query})

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/.well-known/openid-configuration":
            self.send_json(200, self.issuer.metadata())
        elif url.path == "/jwks":
            self.send_json(200, self.issuer.jwks)
        elif url.path in ("/authorize", "/authorize/approve"):
            try:
                request = self.issuer.check_authorization(query)
            except ValueError as error:
                self.send(400, f"invalid authorization request: {error}\n".encode(), "text/plain; charset=utf-8")
                return
            chosen = query.get("sub", [None])[0] if url.path == "/authorize/approve" else request["login_hint"]
            if chosen in self.issuer.staff:
                self.redirect_with_code(request, chosen)
            elif url.path == "/authorize/approve":
                self.send(400, b"invalid authorization request: sub is not a demo staff account\n", "text/plain; charset=utf-8")
            else:
                self.send(200, self.sign_in_page(query).encode(), "text/html; charset=utf-8")
        else:
            self.send(404, b"not found\n", "text/plain")

    def sign_in_page(self, query: dict) -> str:
        rows = []
        for subject, account in self.issuer.staff.items():
            parameters = [(name, value) for name, values in query.items() if name != "sub" for value in values] + [("sub", subject)]
            link = "/authorize/approve?" + urllib.parse.urlencode(parameters)
            rows.append(f'<li><a href="{html.escape(link)}">{html.escape(account.get("name", subject))}</a> '
                        f'({html.escape(account.get("email", ""))}, <code>{html.escape(subject)}</code>)</li>')
        return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Demo sign-in</title></head>"
                "<body><h1>CivicPulse demo issuer</h1><p>Choose a demo staff account to sign in as:</p><ul>"
                + "".join(rows) + "</ul></body></html>")

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/token":
            self.send(404, b"not found\n", "text/plain")
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > 65536:
            self.send_json(400, {"error": "invalid_request", "error_description": "body length"})
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            self.send_json(400, {"error": "invalid_request", "error_description": "expected a form body"})
            return
        form = {}
        for name, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
            if len(values) != 1:
                self.send_json(400, {"error": "invalid_request", "error_description": f"{name} is repeated"})
                return
            form[name] = values[0]
        try:
            self.send_json(200, self.issuer.token(form))
        except OAuthError as error:
            self.send_json(error.status, {"error": error.error, "error_description": error.description})


def serve(directory: str, port: int, issuer: str, redirect_uris: list, detached: bool = False) -> None:
    setup(directory)
    Handler.issuer = Issuer(directory, issuer, redirect_uris)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    state = dict(Handler.issuer.metadata(), client_id=CLIENT_ID, client_key=os.path.join(directory, "client-key.pem"),
                 client_key_id=CLIENT_KID, redirect_uris=Handler.issuer.clients[CLIENT_ID]["redirect_uris"])
    write_json(os.path.join(directory, "staff-issuer.json"), state)
    print(f"demo_issuer: serving {issuer} on 127.0.0.1:{server.server_address[1]}", flush=True)
    # SIGTERM stops the server even when the parent started it with SIGTERM ignored (an inherited
    # disposition), and unless detached (the local stack, stopped by `ops/local down`) the server never
    # outlives the process that started it (a test run that ended).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    parent = os.getppid()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    if not detached:
        threading.Thread(target=watch_parent, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2])
    elif sys.argv[1] == "mint":
        parser = argparse.ArgumentParser(prog="demo_issuer.py mint")
        parser.add_argument("directory")
        parser.add_argument("subject")
        parser.add_argument("acr")
        parser.add_argument("--agency", help="bind the token to this agency (its audience, or the nonce with an id)")
        bound = parser.add_mutually_exclusive_group()
        bound.add_argument("--event-id", help="bind the token by nonce to this response of --agency")
        bound.add_argument("--correlation-id", help="bind the token by nonce to this identity request of --agency")
        parser.add_argument("--no-jti", action="store_true", help="leave out jti")
        options = parser.parse_args(sys.argv[2:])
        if (options.event_id or options.correlation_id) and not options.agency:
            parser.error("--event-id and --correlation-id need --agency")
        print(mint(options.directory, options.subject, options.acr, options.agency, options.event_id, options.correlation_id,
                   not options.no_jti))
    elif sys.argv[1] == "mint-many":
        parser = argparse.ArgumentParser(prog="demo_issuer.py mint-many")
        parser.add_argument("directory")
        parser.add_argument("acr")
        options = parser.parse_args(sys.argv[2:])
        for number, line in enumerate(sys.stdin, start=1):
            fields = line.split()
            if len(fields) != 3:
                sys.exit(f"demo_issuer.py mint-many: line {number} is not SUB AGENCY EVENT_ID")
            subject, agency, event_id = fields
            print(mint(options.directory, subject, options.acr, agency, event_id), flush=False)
    elif sys.argv[1] == "serve":
        parser = argparse.ArgumentParser(prog="demo_issuer.py serve")
        parser.add_argument("directory")
        parser.add_argument("port", type=int)
        parser.add_argument("--issuer", help="the issuer identifier (default http://127.0.0.1:PORT/)")
        parser.add_argument("--redirect-uri", action="append", default=[], help="also register this redirect URI")
        parser.add_argument("--detached", action="store_true", help="keep serving after the starting process ends")
        options = parser.parse_args(sys.argv[2:])
        issuer_url = options.issuer or f"http://127.0.0.1:{options.port}/"
        serve(options.directory, options.port, issuer_url, options.redirect_uri, options.detached)
    else:
        sys.exit(f"usage: {sys.argv[0]} setup DIR | mint DIR SUB ACR [--agency A] [--event-id ID | --correlation-id ID] [--no-jti] | mint-many DIR ACR | serve DIR PORT [--issuer URL] [--redirect-uri URI ...] [--detached]")
