"""A real SMTP server for the alert tests (aiosmtpd, from tools/requirements.txt).

Usage: python smtp_sink.py DIR [--tls CERT KEY] [--login USER PASSWORD] [--login-in-clear]
Listens on 127.0.0.1 on a free port, prints "port N" once listening, and writes each message
it accepts to DIR as N.eml: the envelope's recipients on a first line "Envelope-To: a, b", how
the connection was protected on a second, "Envelope-TLS: TLSv1.3" (or "none"), then the message
as received. A recipient whose address starts with "reject" is refused with 550.

--tls offers STARTTLS with that certificate chain and key (PEM). --login accepts that login
(AUTH PLAIN or LOGIN), offered only over TLS unless --login-in-clear: a server that takes a
password in clear, to show whether a client would send it. Each login tried is appended to
DIR/logins as "USER TLS" (TLS as above).
"""

import argparse
import asyncio
import itertools
import os
import ssl

from aiosmtpd.smtp import SMTP, AuthResult


def tls_of(session):
    extra = session.ssl
    if not extra:
        return "none"
    tls = extra.get("ssl_object")
    return tls.version() if tls is not None else "yes"


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject"):
            return "550 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(self.folder, f"{next(self.count)}.eml")
        with open(name + ".part", "wb") as f:
            f.write(("Envelope-To: " + ", ".join(envelope.rcpt_tos) + "\n").encode())
            f.write(("Envelope-TLS: " + tls_of(session) + "\n").encode())
            f.write(envelope.original_content)
        os.rename(name + ".part", name)
        return "250 Message accepted"


class Login:
    def __init__(self, folder, user, password):
        self.folder, self.user, self.password = folder, user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        with open(os.path.join(self.folder, "logins"), "a") as f:
            f.write(f"{auth_data.login.decode()} {tls_of(session)}\n")
        return AuthResult(success=auth_data.login == self.user and auth_data.password == self.password)


async def main(arguments):
    loop = asyncio.get_running_loop()
    handler = Sink(arguments.folder)
    options = {}
    if arguments.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*arguments.tls)
        options["tls_context"] = context
    if arguments.login:
        options["authenticator"] = Login(arguments.folder, *arguments.login)
        options["auth_require_tls"] = not arguments.login_in_clear
    server = await loop.create_server(lambda: SMTP(handler, **options), "127.0.0.1", 0)
    print("port", server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--login", nargs=2, metavar=("USER", "PASSWORD"))
    parser.add_argument("--login-in-clear", action="store_true")
    asyncio.run(main(parser.parse_args()))
