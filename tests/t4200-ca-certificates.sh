#!/usr/bin/env bash
# ssl.create_default_context() in a stick binary finds the system's CA
# certificates on Debian, RHEL, SUSE, Alpine and Arch layouts, and
# SSL_CERT_FILE still wins. Each layout is an empty chroot holding the
# binary, a server certificate, and that distribution's bundle path.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain

test_expect_success 'build an interpreter and a server certificate' '
	$STICK -q build --sources "$SOURCES" -o python &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
		-addext subjectAltName=DNS:localhost \
		-keyout key.pem -out cert.pem 2>/dev/null
'

# layout BUNDLE_PATH: a fresh root with the CA bundle at that path.
layout() {
	rm -rf root && mkdir -p root/srv "root$(dirname "$1")" &&
	cp python root/ && cp cert.pem key.pem root/srv/ &&
	cp "$TOP/tests/toolchain/tls_check.py" root/ &&
	cp cert.pem "root$1"
}

for bundle in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt \
	/etc/ssl/ca-bundle.pem /etc/ssl/cert.pem; do
	test_expect_success "finds the CA bundle at $bundle" "
		layout $bundle &&
		env -i \"\$CHROOT\" root /python -I /tls_check.py >out 2>&1 &&
		test_grep -x 'verified ok' out
	"
done

test_expect_success 'without any bundle the handshake fails to verify' '
	layout /srv/other.pem &&
	! env -i "$CHROOT" root /python -I /tls_check.py >out 2>&1 &&
	test_grep "SSL" out
'

test_expect_success 'SSL_CERT_FILE chosen by the user wins' '
	layout /etc/ssl/cert.pem && : >root/etc/ssl/cert.pem &&
	env -i SSL_CERT_FILE=/srv/cert.pem "$CHROOT" root /python -I /tls_check.py >out 2>&1 &&
	test_grep -x "verified ok" out
'

test_expect_success '--ca-bundle: the embedded bundle is used when the host has none' '
	$STICK -q build --sources "$SOURCES" \
		--script "$TOP/tests/toolchain/tls_check.py" --ca-bundle cert.pem -o app &&
	layout /srv/other.pem && cp app root/ &&
	env -i "$CHROOT" root /app >out 2>&1 &&
	test_grep -x "verified ok" out
'

test_expect_success '--ca-bundle: a bundle on the host comes first' '
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other \
		-keyout other-key.pem -out other.pem 2>/dev/null &&
	layout /etc/ssl/certs/ca-certificates.crt && cp app root/ &&
	cp other.pem root/etc/ssl/certs/ca-certificates.crt &&
	! env -i "$CHROOT" root /app >out 2>&1 &&
	test_grep "CERTIFICATE_VERIFY_FAILED" out
'

test_expect_success '--ca-bundle refuses a file without certificates' '
	echo "not a certificate" >junk.pem &&
	test_expect_code 1 $STICK -q build --sources "$SOURCES" \
		--script "$TOP/tests/toolchain/tls_check.py" --ca-bundle junk.pem -o bad 2>err &&
	test_grep "junk.pem" err && ! test -e bad
'

test_done
