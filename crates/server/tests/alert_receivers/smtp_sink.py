"""A real SMTP server for the alert tests (aiosmtpd, from tools/requirements.txt).

Usage: python smtp_sink.py DIR
Listens on 127.0.0.1 on a free port, prints "port N" once listening, and writes each message
it accepts to DIR as N.eml (the envelope's recipients on a first line "To: a, b", then the
message as received). A recipient whose address starts with "reject" is refused with 550.
"""

import asyncio
import itertools
import os
import sys

from aiosmtpd.smtp import SMTP


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
            f.write(envelope.original_content)
        os.rename(name + ".part", name)
        return "250 Message accepted"


async def main(folder):
    loop = asyncio.get_running_loop()
    handler = Sink(folder)
    server = await loop.create_server(lambda: SMTP(handler), "127.0.0.1", 0)
    print("port", server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
