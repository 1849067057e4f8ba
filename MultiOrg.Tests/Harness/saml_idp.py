"""A loopback SAML 2.0 identity provider for the MultiOrg tests, built on Debian's python3-pysaml2 (an implementation
independent of MultiOrg's). Usage: /usr/bin/python3 saml_idp.py CERT KEY OTHER_CERT OTHER_KEY

It prints "listening PORT" once ready. Endpoints:
  GET  /metadata                 the IdP metadata (entity id, HTTP-Redirect SSO endpoint, signing certificate)
  GET  /sso?SAMLRequest=…        parses the SP's AuthnRequest and shows a sign-in form (email, name)
  POST /login                    answers the request: an HTML form that posts the signed Response to the ACS
  GET  /initiate?sp=…&acs=…&email=…  an IdP-initiated response (no InResponseTo)
Test knobs (form fields or query parameters) change how a response is made, always by pysaml2 itself:
  sign=assertion|response|none   what is signed (default: assertion)
  key=other                      sign with the other key pair (a certificate MultiOrg was never given)
  lifetime=-10                   assertion lifetime in minutes (negative: already expired)
  audience=…                     the SP entity id the response is made for (wrong audience)
"""

import html
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

CERT, KEY, OTHER_CERT, OTHER_KEY = sys.argv[1:5]
servers = {}
base = ""


def server(key="own", lifetime=5):
    """One pysaml2 server per key pair and lifetime (the lifetime is part of pysaml2's policy)."""
    name = (key, lifetime)
    if name not in servers:
        cert_file, key_file = (OTHER_CERT, OTHER_KEY) if key == "other" else (CERT, KEY)
        config = IdPConfig()
        config.load({
            "entityid": base + "/idp",
            "key_file": key_file,
            "cert_file": cert_file,
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "service": {
                "idp": {
                    "endpoints": {"single_sign_on_service": [(base + "/sso", BINDING_HTTP_REDIRECT)]},
                    "policy": {"default": {"lifetime": {"minutes": lifetime}, "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"}},
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    "want_authn_requests_signed": False,
                },
            },
            "metadata": {},
        })
        idp = Server(config=config)
        # The IdP knows no SP metadata (the test gives everything per response); pysaml2 looks for an SP encryption
        # certificate there when it signs the response or nothing, and would fail on the missing entry.
        idp.has_encrypt_cert_in_metadata = lambda sp_entity_id: False
        servers[name] = idp
    return servers[name]


def respond(fields):
    sign = fields.get("sign", "assertion")
    idp = server(fields.get("key", "own"), int(fields.get("lifetime", "5")))
    email = fields["email"]
    response = idp.create_authn_response(
        identity={"mail": [email], "displayName": [fields.get("name", "")]},
        in_response_to=fields.get("in_response_to") or None,
        destination=fields["acs"],
        sp_entity_id=fields.get("audience") or fields["sp"],
        name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
        sign_assertion=sign == "assertion",
        sign_response=sign == "response",
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    info = idp.apply_binding(BINDING_HTTP_POST, str(response), fields["acs"], fields.get("relay_state", ""), response=True)
    return "".join(info["data"]) if isinstance(info["data"], list) else info["data"]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="text/html; charset=utf-8"):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        # The server closes every connection after its answer (HTTP/1.0). Said out loud, so the client never reuses it:
        # without it .NET pooled the connection, and a POST sent on it just as the server closed it ended with no answer.
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        try:
            if url.path == "/metadata":
                self.send(200, create_metadata_string(None, server().config, sign=False).decode("utf-8"), "application/samlmetadata+xml")
            elif url.path == "/sso":
                request = server().parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT).message
                hidden = {
                    "in_response_to": request.id,
                    "acs": request.assertion_consumer_service_url,
                    "sp": request.issuer.text,
                    "relay_state": query.get("RelayState", ""),
                }
                inputs = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v or "")}"/>' for k, v in hidden.items())
                self.send(200, f"""<!DOCTYPE html><html><head><title>Test IdP sign-in</title></head><body>
<h1>Test IdP</h1><form method="post" action="/login">{inputs}
<label>Email <input name="email" id="idp-email"/></label>
<label>Name <input name="name" id="idp-name"/></label>
<button type="submit" id="idp-sign-in">Sign in</button></form></body></html>""")
            elif url.path == "/initiate":
                self.send(200, respond(query))
            else:
                self.send(404, "not found")
        except Exception as e:  # the test reads the message
            self.send(500, f"{type(e).__name__}: {e}", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True).items()}
        try:
            if urlparse(self.path).path == "/login":
                self.send(200, respond(fields))
            else:
                self.send(404, "not found")
        except Exception as e:
            self.send(500, f"{type(e).__name__}: {e}", "text/plain")


httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
base = f"http://127.0.0.1:{httpd.server_address[1]}"
server()
print(f"listening {httpd.server_address[1]}", flush=True)
httpd.serve_forever()
