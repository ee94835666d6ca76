# A TLS handshake over 127.0.0.1 that must verify the server with
# ssl.create_default_context(): the CA has to come from the system.
import socket, ssl, sys, threading
srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
srv.load_cert_chain("/srv/cert.pem", "/srv/key.pem")
ls = socket.create_server(("127.0.0.1", 0))
port = ls.getsockname()[1]
def serve():
    c, _ = ls.accept()
    with srv.wrap_socket(c, server_side=True) as s:
        s.sendall(b"ok")
t = threading.Thread(target=serve); t.start()
ctx = ssl.create_default_context()
with socket.create_connection(("127.0.0.1", port)) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as s:
        print("verified", s.recv(10).decode())
t.join()
