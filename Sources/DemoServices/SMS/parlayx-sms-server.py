#!/usr/bin/env python3
"""A Parlay X-style Short Messaging Web service (SendSms, GetSmsDeliveryStatus) on spyne.

WSE's SOAP connector is tested against it, and `wse demo` runs it as the upstream of the `sms`
service. Usage: parlayx-sms-server.py [--host H] [--port N] [--soap 1.1|1.2]
    [--username U --password P]   (then every call needs a WS-Security UsernameToken, text or digest)
Prints "listening on http://H:N/sms (SOAP 1.x)" once it serves; the WSDL is at that URL + "?wsdl".
When spyne is missing it prints "unavailable: <what to install>" instead and exits with status 3.
"""
import argparse
import base64
import datetime
import hashlib
import itertools
import logging
import signal
import os
import socketserver
import sys
import threading
import time

try:
    from spyne import Application, ComplexModel, Fault, ServiceBase, Unicode, rpc
    from spyne.protocol.soap import Soap11, Soap12
    from spyne.server.wsgi import WsgiApplication
except ImportError as missing:
    print(f"unavailable: the Parlay X SMS server needs the Python packages spyne and lxml ({missing}): "
          "pip install spyne lxml, or run scripts/install-test-deps.sh", flush=True)
    sys.exit(3)
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

NAMESPACE = "http://www.csapi.org/wsdl/parlayx/sms/v2_2/service"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
PASSWORD_DIGEST = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"


class DeliveryInformation(ComplexModel):
    __namespace__ = NAMESPACE
    _type_info = [("address", Unicode), ("deliveryStatus", Unicode)]


class SmsStore:
    """Sent messages by request identifier: each is DeliveredToTerminal once asked about."""

    def __init__(self):
        self.sent = {}
        self.numbers = itertools.count(1)

    def send(self, addresses):
        identifier = f"sms-{next(self.numbers):06d}"
        self.sent[identifier] = list(addresses)
        return identifier


STORE = SmsStore()


def client_fault(message_id, text):
    return Fault(faultcode="Client." + message_id, faultstring=text)


class SendSmsService(ServiceBase):
    @rpc(Unicode(max_occurs="unbounded", min_occurs=1), Unicode, Unicode(min_occurs=1),
         _returns=Unicode, _in_message_name="SendSms", _out_message_name="SendSmsResponse",
         _out_variable_name="result")
    def SendSms(ctx, addresses, senderName, message):
        addresses = list(addresses or [])
        for address in addresses:
            if not address.startswith("tel:"):
                raise client_fault("SVC0002", f"Invalid input value for message part addresses: {address}")
        if not addresses:
            raise client_fault("SVC0002", "Invalid input value for message part addresses")
        if not message:
            raise client_fault("SVC0002", "Invalid input value for message part message")
        if message == "fail":
            raise Fault(faultcode="Server.SVC0001", faultstring="A service error occurred: the SMSC is down")
        return STORE.send(addresses)

    @rpc(Unicode(min_occurs=1), _returns=DeliveryInformation.customize(max_occurs="unbounded"),
         _in_message_name="GetSmsDeliveryStatus", _out_message_name="GetSmsDeliveryStatusResponse", _out_variable_name="result")
    def GetSmsDeliveryStatus(ctx, requestIdentifier):
        addresses = STORE.sent.get(requestIdentifier)
        if addresses is None:
            raise client_fault("SVC0004", f"No valid addresses provided in message part requestIdentifier: {requestIdentifier}")
        return [DeliveryInformation(address=a, deliveryStatus="DeliveredToTerminal") for a in addresses]


def username_token_check(username, password):
    """A spyne event handler refusing calls without the right WS-Security UsernameToken."""

    def check(ctx):
        headers = ctx.in_header_doc or []  # the Header's child elements
        tokens = [token for header in headers for token in header.iter(f"{{{WSSE}}}UsernameToken")]
        if not tokens:
            raise Fault(faultcode="Client.Security", faultstring="a WS-Security UsernameToken is required")
        token = tokens[0]
        given_user = token.findtext(f"{{{WSSE}}}Username")
        password_node = token.find(f"{{{WSSE}}}Password")
        if given_user != username or password_node is None:
            raise Fault(faultcode="Client.Security", faultstring="unknown user or no password")
        kind = password_node.get("Type", PASSWORD_TEXT)
        if kind == PASSWORD_TEXT:
            ok = password_node.text == password
        elif kind == PASSWORD_DIGEST:
            nonce = base64.b64decode(token.findtext(f"{{{WSSE}}}Nonce") or "")
            created = token.findtext(f"{{{WSU}}}Created") or ""
            expected = base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode()).digest()).decode()
            ok = password_node.text == expected and fresh(created)
        else:
            ok = False
        if not ok:
            raise Fault(faultcode="Client.Security", faultstring="the UsernameToken's password is wrong")

    return check


def fresh(created):
    """A digest's Created time must be within five minutes of now (replay protection)."""
    try:
        when = datetime.datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return False
    return abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) < 300


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per request and a deep accept queue: many callers at once (tests run in parallel) must not
    wait behind one slow request or find the default queue of 5 full."""
    daemon_threads = True
    request_queue_size = 128


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def exit_when_orphaned(parent):
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--host", default="127.0.0.1")
    arguments.add_argument("--port", type=int, default=0)
    arguments.add_argument("--soap", choices=["1.1", "1.2"], default="1.1")
    arguments.add_argument("--username")
    arguments.add_argument("--password")
    options = arguments.parse_args()
    # A parent may have spawned us with signals blocked (Foundation's Process does): SIGTERM must stop us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # A parent killed without stopping us (SIGKILL) must not leave us serving: we follow it within a second.
    threading.Thread(target=exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    logging.getLogger("spyne").setLevel(logging.CRITICAL)  # faults are answers here, not server errors to log
    protocol = Soap12 if options.soap == "1.2" else Soap11
    application = Application([SendSmsService], tns=NAMESPACE, name="SendSms",
                              in_protocol=protocol(validator="lxml"), out_protocol=protocol())
    if options.username:
        application.event_manager.add_listener("method_call", username_token_check(options.username, options.password or ""))
    server = make_server(options.host, options.port, WsgiApplication(application), server_class=ThreadingServer, handler_class=QuietHandler)
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}/sms (SOAP {options.soap})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
