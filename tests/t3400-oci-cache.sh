#!/usr/bin/env bash
# The shared cache in an OCI registry (--cache, STICK_CACHE, stick cache
# push), against Debian's docker-registry (the CNCF distribution
# registry) started here on 127.0.0.1 with its storage in the trash
# directory. Machine A (the cached toolchain shared in) builds hello and
# pushes what it used; machine B (a fresh STICK_HOME) pulls it all and
# links a byte-identical hello without compiling any C; a C library
# (libyaml) and an extension build (PyYAML, which links libyaml: a fresh
# machine pulls both, compiles nothing) go the same way. Tampered,
# truncated and mislabelled artifacts, a registry that is down or answers
# HTML or presents an untrusted certificate, basic auth, bearer tokens,
# and two pushers racing.
. "$(dirname "$0")/lib.sh"

REGISTRY=$(command -v docker-registry || echo /usr/bin/docker-registry)
if ! [ -x "$REGISTRY" ]; then
	test_skip 'the OCI cache' 'no docker-registry: scripts/setup installs it'
	test_done
fi
use_cached_toolchain
SHARED=$STICK_HOME
echo 'print("hello")' >hello.py
REG_PIDS=
trap 'for p in $REG_PIDS; do kill "$p" 2>/dev/null; done; stop_httpd' EXIT

# start_registry NAME [HTPASSWD [CONFIG]]: a registry on a free port of 127.0.0.1,
# storage in NAME/; sets PORT. Called outside the tests (their subshells
# would lose REG_PIDS).
start_registry() {
	PORT=$(closed_port)
	mkdir -p "$1/data"
	{
		printf 'version: 0.1\nlog:\n  level: warn\n'
		printf 'storage:\n  filesystem:\n    rootdirectory: %s\n' "$TRASH/$1/data"
		printf 'http:\n  addr: 127.0.0.1:%s\n' "$PORT"
		if [ -n "${2:-}" ]; then
			printf 'auth:\n  htpasswd:\n    realm: stick\n    path: %s\n' "$2"
		fi
		if [ -n "${3:-}" ]; then
			printf '%s\n' "$3"
		fi
	} >"$1/config.yml"
	"$REGISTRY" serve "$1/config.yml" >"$1/log" 2>&1 &
	REG_PIDS="$REG_PIDS $!"
	for _ in $(seq 100); do
		curl -s -o /dev/null "http://127.0.0.1:$PORT/v2/" && return 0
		sleep 0.1
	done
	echo "docker-registry did not start:" >&2
	cat "$1/log" >&2
	return 1
}

# home NAME [DIR...]: a STICK_HOME of its own sharing the named
# directories of the cached toolchain's home.
home() {
	rm -rf "$TRASH/$1" && mkdir -p "$TRASH/$1" &&
	for d in ${*:2}; do
		mkdir -p "$SHARED/$d" && ln -s "$SHARED/$d" "$TRASH/$1/$d" || return 1
	done
}

# on HOME ARGS...: stick ARGS with that STICK_HOME.
on() { h=$1; shift; STICK_HOME=$TRASH/$h "$STICK" "$@"; }
# obuild HOME OUT ARGS...: hello built on HOME, messages in HOME.err.
obuild() {
	h=$1 o=$2; shift 2
	STICK_HOME=$TRASH/$h "$STICK" build --python "$PY" \
		--sources "$SOURCES" --script hello.py -o "$o" "$@" 2>"$h.err"
	rc=$?
	cat "$h.err"
	return $rc
}
# blob DIGEST: the file the registry stores the blob in.
blob() { h=${1#sha256:}; echo "$TRASH/reg/data/docker/registry/v2/blobs/sha256/${h:0:2}/$h/data"; }
# manifest TAG: the registry's manifest of the tag.
manifest() {
	curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"http://127.0.0.1:$REG_PORT/v2/stick/manifests/$1"
}
layer_of() { manifest "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])'; }

test_expect_success 'malformed --cache URLs and STICK_CACHE are refused' '
	test_expect_code 2 "$STICK" build --cache http://127.0.0.1/x -o x 2>err &&
	test_grep "is not a registry URL: write oci://HOST\[:PORT\]/REPO" err &&
	test_expect_code 2 "$STICK" toolchain --cache oci://127.0.0.1:5000 2>err &&
	test_grep "names no repository" err &&
	test_expect_code 2 "$STICK" toolchain --cache oci://h:99999/r 2>err &&
	test_grep "is not HOST or HOST:PORT" err &&
	test_expect_code 2 "$STICK" toolchain --cache oci://h/Upper 2>err &&
	test_grep "is not a repository name" err &&
	STICK_CACHE=oci://bad:port/x test_expect_code 1 "$STICK" toolchain 2>err &&
	test_grep "^stick: error: STICK_CACHE: .*not HOST or HOST:PORT" err &&
	test_expect_code 1 "$STICK" toolchain --cache oci://example.org/r \
		--cache-insecure 2>err &&
	test_grep "only for a registry on this machine" err &&
	test_expect_code 1 "$STICK" toolchain --cache-push 2>err &&
	test_grep "need a registry" err &&
	test_expect_code 2 "$STICK" cache push 2>err &&
	test_grep "no registry" err &&
	! test -e "$STICK_HOME/toolchains.pull"
'

# A bearer-token service for a registry with `auth: token` (the
# distribution token spec, RS256 JWTs with the certificate in x5c).
cat >token.py <<'PY'
# token.py PORTFILE KEY CERT USER:PASSWORD: a bearer-token service for
# docker-registry on 127.0.0.1 (the distribution token spec): GET
# /token?service=S&scope=repository:R:A,B with basic credentials gives a
# JWT (RS256, x5c) granting the asked actions; other credentials get 401.
import base64, json, os, subprocess, sys, time, urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

portfile, key, cert, login = sys.argv[1:5]
der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"],
                     check=True, capture_output=True).stdout

def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def token(service, scopes):
    access = []
    for s in scopes:
        kind, name, actions = s.split(":")
        access.append({"type": kind, "name": name, "actions": actions.split(",")})
    now = int(time.time())
    head = {"alg": "RS256", "typ": "JWT", "x5c": [base64.b64encode(der).decode()]}
    claims = {"iss": "stick-test-issuer", "sub": login.split(":")[0],
              "aud": service, "exp": now + 600, "nbf": now - 10, "iat": now,
              "jti": os.urandom(8).hex(), "access": access}
    signing = b64(json.dumps(head).encode()) + "." + b64(json.dumps(claims).encode())
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key],
                         input=signing.encode(), check=True,
                         capture_output=True).stdout
    return signing + "." + b64(sig)

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        auth = self.headers.get("Authorization", "")
        ok = auth == "Basic " + base64.b64encode(login.encode()).decode()
        if url.path != "/token" or not ok:
            self.send_response(401)
            self.end_headers()
            return
        body = json.dumps({"token": token(q.get("service", [""])[0],
                                          q.get("scope", []))}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".new", "w") as f:
    f.write(str(server.server_port))
os.rename(portfile + ".new", portfile)
server.serve_forever()
PY

# The registries: the main one, a second for a forged toolchain, one
# with basic auth, one with bearer tokens; and a web server answering HTML.
openssl req -x509 -newkey rsa:2048 -nodes -keyout tok-key.pem -out tok-cert.pem \
	-days 2 -subj /CN=stick-test-token >/dev/null 2>&1
python3 token.py tok.port tok-key.pem tok-cert.pem ci:s3cret >tok.log 2>&1 &
REG_PIDS="$REG_PIDS $!"
for _ in $(seq 100); do
	[ -s tok.port ] && break
	sleep 0.1
done
TOKEN_AUTH="auth:
  token:
    realm: http://127.0.0.1:$(cat tok.port)/token
    service: stick-test
    issuer: stick-test-issuer
    rootcertbundle: $TRASH/tok-cert.pem"
start_registry bearer "" "$TOKEN_AUTH" && BEARER_PORT=$PORT
if command -v htpasswd >/dev/null; then
	htpasswd -Bbc htpasswd ci s3cret 2>/dev/null &&
	start_registry auth "$TRASH/htpasswd" && AUTH_PORT=$PORT
fi
start_registry reg2 && REG2_PORT=$PORT
# One speaking https with a certificate no CA on this machine signed.
openssl req -x509 -newkey rsa:2048 -nodes -keyout tls-key.pem -out tls-cert.pem \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 &&
start_registry tls "" "  tls:
    certificate: $TRASH/tls-cert.pem
    key: $TRASH/tls-key.pem" && TLS_PORT=$PORT
mkdir -p www/v2 && echo "<html><body>login</body></html>" >www/v2/index.html
HTML_PORT=$(closed_port)
python3 -m http.server --bind 127.0.0.1 --directory www "$HTML_PORT" \
	>www.log 2>&1 &
REG_PIDS="$REG_PIDS $!"
start_registry reg
REG_PORT=$PORT
export STICK_CACHE=oci://127.0.0.1:$REG_PORT/stick
test_expect_success 'setup: docker-registry and a web server on 127.0.0.1' '
	curl -sf "http://127.0.0.1:$REG_PORT/v2/" &&
	curl -sf "http://127.0.0.1:$REG2_PORT/v2/" &&
	test "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$BEARER_PORT/v2/")" = 401 &&
	for _ in $(seq 50); do
		curl -s -o /dev/null "http://127.0.0.1:$HTML_PORT/" && break
		sleep 0.1
	done &&
	curl -sf "http://127.0.0.1:$HTML_PORT/v2/"
'
OPTS=--cache-insecure

test_expect_success 'machine A builds hello and pushes what it used' '
	home A toolchains stdlib &&
	obuild A helloA $OPTS --cache-push &&
	test_grep "^pushed toolchain $PY-musl-[0-9a-f]* to $STICK_CACHE:$PY-musl-" A.err &&
	test_grep "^pushed stdlib " A.err &&
	test_grep "^pushed embed " A.err &&
	test_grep "^pushed table " A.err &&
	./helloA >out && test_grep "^hello$" out
'
KEY=$(sed -n "s/^pushed toolchain \([^ ]*\) .*/\1/p" A.err)

test_expect_success 'the artifact: an OCI manifest with the key, target and recipes' '
	manifest "$KEY" >m.json &&
	cat >check.py <<-\EOF &&
	import json, sys
	m = json.load(sys.stdin)
	assert m["mediaType"] == "application/vnd.oci.image.manifest.v1+json", m
	assert m["artifactType"] == "application/vnd.stick.toolchain.v1", m
	assert m["config"]["mediaType"] == "application/vnd.oci.empty.v1+json"
	a = m["annotations"]
	assert a["dev.stick.key"] == sys.argv[1], a
	assert a["dev.stick.target"] == "x86_64-linux-musl", a
	assert a["dev.stick.python"].startswith("3."), a
	assert "python 3." in a["dev.stick.recipes"], a
	(layer,) = m["layers"]
	assert layer["mediaType"] == "application/vnd.stick.toolchain.v1.tar+zstd"
	assert layer["size"] > 10_000_000, layer
	EOF
	python3 check.py "$KEY" <m.json
'

if command -v skopeo >/dev/null; then
	test_expect_success 'skopeo sees the pushed artifact' '
		skopeo inspect --raw --tls-verify=false \
			"docker://127.0.0.1:$REG_PORT/stick:$KEY" >raw &&
		test_grep "application/vnd.stick.toolchain.v1" raw &&
		skopeo list-tags --tls-verify=false \
			"docker://127.0.0.1:$REG_PORT/stick" >tags &&
		test_grep "\"$KEY\"" tags
	'
else
	test_skip 'skopeo sees the pushed artifact' 'no skopeo'
fi

test_expect_success 'pushing again: the same bytes, nothing uploaded' '
	on A cache $OPTS push "$KEY" 2>err &&
	test_grep "^toolchain $KEY: already in $STICK_CACHE$" err
'

test_expect_success 'machine B pulls everything: byte-identical hello, no C compiled' '
	home B &&
	STICK_HOME=$TRASH/B strace -f -s 256 -o trace -e trace=execve \
		"$STICK" build --python "$PY" --sources "$SOURCES" \
		--script hello.py -o helloB $OPTS 2>B.err &&
	cat B.err &&
	test_grep "^pull toolchain $KEY from $STICK_CACHE \.\.\. " B.err &&
	test_grep "^pull stdlib " B.err &&
	test_grep "^pull embed " B.err &&
	test_grep "^pull table " B.err &&
	! grep -i "warning\|building toolchain\|freeze the Python" B.err &&
	cmp helloA helloB &&
	grep "execve(" trace | grep -v ENOENT >execs &&
	! grep -E "/(cc1|cc1plus|clang[^/]*|make|gmake)\"" execs &&
	! grep -E "\"-c\", \"[^\"]*\.c\"" execs &&
	test_grep "ld.lld" execs
'

# (The test package's .pyc files that regrtest runs write into the shared
# toolchain, maybe while this runs, are not pushed either.)
test_expect_success 'the pulled toolchain is the pushed one, less its build logs' '
	diff -r --no-dereference "$TRASH/A/toolchains/$KEY" \
		"$TRASH/B/toolchains/$KEY" | grep -v "/lib/python3[.0-9]*/test[/:].*__pycache__" >d || true &&
	echo "Only in $TRASH/A/toolchains/$KEY: build-logs" >expect &&
	test_cmp expect d &&
	! ls "$TRASH/B/toolchains" | grep -v "^$KEY$"
'

test_expect_success 'a C library (libyaml) pushed, then pulled instead of built' '
	home K toolchains && home L toolchains &&
	tc=$TRASH/K/toolchains/$KEY &&
	STICK_HOME=$TRASH/K "$TOP/tests/helper/test-tool" clib --toolchain "$tc" \
		--sources "$SOURCES" libyaml >K.out 2>K.err &&
	test_grep "^build C library libyaml" K.err &&
	entry=$(sed -n "s/^libyaml .*\/\(clibs\/.*\)$/\1/p" K.out) &&
	on K cache $OPTS push "$entry" 2>err &&
	test_grep "^pushed clib " err &&
	STICK_HOME=$TRASH/L STICK_CACHE_INSECURE=1 "$TOP/tests/helper/test-tool" clib --toolchain "$tc" \
		--sources "$SOURCES" libyaml >L.out 2>L.err &&
	cat L.err &&
	test_grep "^pull clib $KEY/libyaml-" L.err &&
	! grep "build C library" L.err &&
	diff -r "K/$entry" "L/$entry"
'

# sdist NAME: the pinned file of tests/sdists/NAME in $SOURCES.
sdist() { echo "$SOURCES/$(awk '$1 == "source" { print $2; exit }' "$TOP/tests/sdists/$1")"; }
cat >y.py <<'PY'
import yaml
print(yaml.__with_libyaml__, yaml.load("a: [1, 2]", Loader=yaml.CSafeLoader))
PY
test_expect_success 'an extension build (PyYAML + libyaml) pushed; a fresh machine pulls it, compiles nothing' '
	home XE toolchains stdlib &&
	STICK_HOME=$TRASH/XE "$STICK" build --python "$PY" --sources "$SOURCES" \
		--sdist "$(sdist pyyaml-6.0.2)" --script y.py -o yE $OPTS --cache-push 2>XE.err &&
	cat XE.err &&
	test_grep "^pushed extension $KEY/[0-9a-f]* to $STICK_CACHE:ext-$KEY-" XE.err &&
	grep -E "^(pushed clib $KEY/libyaml-|clib $KEY/libyaml-.*: already in )" XE.err &&
	ext=$(sed -n "s/^pushed extension \([^ ]*\) .*/\1/p" XE.err) &&
	manifest "ext-${ext%/*}-${ext#*/}" >m.json &&
	python3 -c "import json, sys; a = json.load(sys.stdin)[\"annotations\"]
assert a[\"dev.stick.package\"] == \"pyyaml 6.0.2\", a" <m.json &&
	! test -e "$STICK_CACHE" &&
	home XF &&
	STICK_HOME=$TRASH/XF strace -f -s 256 -o trace -e trace=execve \
		"$STICK" build --python "$PY" --sources "$SOURCES" \
		--sdist "$(sdist pyyaml-6.0.2)" --script y.py -o yF $OPTS 2>XF.err &&
	cat XF.err &&
	test_grep "pyyaml 6.0.2: its build pulled from the shared cache" XF.err &&
	! grep -i warning XF.err &&
	cmp yE yF &&
	test "$(./yF)" = "True {'"'"'a'"'"': [1, 2]}" &&
	test -f "XF/extensions/$ext/meta.json" && ! test -e "XF/extensions/$ext/build.json" &&
	ls XF/clibs/$KEY | grep "^libyaml-" &&
	grep "execve(" trace | grep -v ENOENT >execs &&
	! grep -E "/(cc1|cc1plus|clang[^/]*|make|gmake)\"" execs | grep -v "\"--version\"" &&
	! grep -E "\"-c\", \"[^\"]*\.c\"" execs
'

test_expect_success 'the same extension built on another machine is the same artifact' '
	home XH toolchains stdlib &&
	env -u STICK_CACHE STICK_HOME=$TRASH/XH "$STICK" -q build --python "$PY" \
		--sources "$SOURCES" --sdist "$(sdist pyyaml-6.0.2)" --script y.py -o yH &&
	ext=$(sed -n "s/^pushed extension \([^ ]*\) .*/\1/p" XE.err) &&
	test -f "XH/extensions/$ext/build.json" &&
	on XH cache $OPTS push "extensions/$ext" 2>err &&
	test_grep "^extension $ext: already in $STICK_CACHE$" err
'

test_expect_success 'stick cache pull: an entry missing here and in the registry is an error' '
	home XG &&
	test_expect_code 1 on XG cache $OPTS pull "extensions/$KEY/000000000000000000000000" 2>err &&
	test_grep "extension extensions/$KEY/0*: neither in .* nor pulled from $STICK_CACHE" err &&
	test_expect_code 1 on XG cache $OPTS pull "nothing/here" 2>err &&
	test_grep "is no toolchain, stdlib, embed/, table, C library or extension entry" err &&
	test_expect_code 2 on XG cache $OPTS pull 2>err &&
	test -z "$(ls "XG/extensions/$KEY")"
'

test_expect_success 'a C library naming its STICK_HOME is not pushed' '
	mkdir -p "K/clibs/$KEY/fake-1-0000000000000000/lib" &&
	echo "libdir=$TRASH/K/clibs" >"K/clibs/$KEY/fake-1-0000000000000000/lib/libfake.la" &&
	test_expect_code 1 on K cache $OPTS push "clibs/$KEY/fake-1-0000000000000000" 2>err &&
	test_grep "not pushing clib .*libfake.la. names this STICK_HOME" err
'

test_expect_success 'a tampered blob is refused; stick freezes the stdlib itself' '
	tag=$(sed -n "s/^pushed stdlib .* to [^ ]*:\([^ ]*\) .*/\1/p" A.err) &&
	data=$(blob "$(layer_of "$tag")") &&
	cp "$data" saved && chmod u+w "$data" &&
	printf "XXXX" | dd of="$data" bs=1 seek=1000 conv=notrunc 2>/dev/null &&
	home C toolchains &&
	obuild C helloC $OPTS &&
	test_grep "warning: refusing stdlib .* from the cache $STICK_CACHE: the blob sha256:.* has the sha256 .*: not what the manifest names; building it here instead" C.err &&
	test_grep "^freeze the Python $PY stdlib" C.err &&
	cmp helloA helloC &&
	! ls C/stdlib | grep -v "^$PY-[0-9a-f]*$" &&
	cp saved "$data"
'

test_expect_success 'a truncated blob is refused; stick compiles embed/ itself' '
	tag=$(sed -n "s/^pushed embed .* to [^ ]*:\([^ ]*\) .*/\1/p" A.err) &&
	data=$(blob "$(layer_of "$tag")") &&
	cp "$data" saved && chmod u+w "$data" &&
	truncate -s 1000 "$data" &&
	home D toolchains stdlib &&
	obuild D helloD $OPTS &&
	test_grep "warning: refusing embed .*: the blob sha256:.* has 1000 bytes, not the [0-9]* of the manifest" D.err &&
	cmp helloA helloD &&
	cp saved "$data"
'

test_expect_success 'a registry failing mid-pull (a blob gone): stick compiles embed/ itself' '
	tag=$(sed -n "s/^pushed embed .* to [^ ]*:\([^ ]*\) .*/\1/p" A.err) &&
	data=$(blob "$(layer_of "$tag")") &&
	mv "$data" saved &&
	home M toolchains stdlib &&
	obuild M helloM $OPTS &&
	test_grep "warning: refusing embed .* from the cache $STICK_CACHE: GET http://127.0.0.1:$REG_PORT/v2/stick/blobs/sha256:[0-9a-f]* answered [45][0-9][0-9]" M.err &&
	cmp helloA helloM &&
	mv saved "$data"
'

test_expect_success 'a manifest for another key is refused' '
	tag=$(sed -n "s/^pushed stdlib .* to [^ ]*:\([^ ]*\) .*/\1/p" A.err) &&
	manifest "$tag" >orig &&
	sed "s/\"dev.stick.key\":\"[^\"]*\"/\"dev.stick.key\":\"3.13-0000000000000000\"/" orig >other &&
	! cmp orig other &&
	curl -sf -X PUT -H "Content-Type: application/vnd.oci.image.manifest.v1+json" \
		--data-binary @other "http://127.0.0.1:$REG_PORT/v2/stick/manifests/$tag" &&
	home E toolchains &&
	obuild E helloE $OPTS &&
	test_grep "warning: refusing stdlib .*: its manifest is for the key .3.13-0000000000000000.; building it here instead" E.err &&
	cmp helloA helloE &&
	curl -sf -X PUT -H "Content-Type: application/vnd.oci.image.manifest.v1+json" \
		--data-binary @orig "http://127.0.0.1:$REG_PORT/v2/stick/manifests/$tag"
'

test_expect_success 'a toolchain artifact built from other recipes is refused, the local build starts' '
	# The same key, its manifest.json naming another openssl version.
	home F &&
	mkdir -p fake && cp -r "$TRASH/B/toolchains/$KEY" fake/ &&
	sed -i "s/\"name\": \"openssl\", \"version\": \"[^\"]*\"/\"name\": \"openssl\", \"version\": \"0.0.1\"/" \
		"fake/$KEY/manifest.json" &&
	grep -q "\"openssl\", \"version\": \"0.0.1\"" "fake/$KEY/manifest.json" &&
	mkdir -p F/toolchains && mv "fake/$KEY" F/toolchains/ &&
	url=oci://127.0.0.1:$REG2_PORT/stick &&
	on F cache --cache $url $OPTS push "$KEY" &&
	rm -rf F && home F &&
	{ STICK_HOME=$TRASH/F "$STICK" toolchain --python "$PY" \
		--sources "$SOURCES" --cache $url $OPTS 2>F.err & } && pid=$! &&
	for _ in $(seq 600); do
		grep -q "building toolchain" F.err && break
		sleep 0.1
	done &&
	kill $pid && { wait $pid; cat F.err; } &&
	test_grep "warning: refusing toolchain $KEY from the cache $url: it was built from other recipes: openssl 0.0.1 where this stick has openssl" F.err &&
	test_grep "^building toolchain $KEY" F.err &&
	! test -e "F/toolchains/$KEY/manifest.json"
'

test_expect_success 'a registry that is down: a warning, and the build goes on locally' '
	home G toolchains stdlib &&
	down=$(closed_port) &&
	STICK_CACHE=oci://127.0.0.1:$down/stick obuild G helloG $OPTS &&
	test_grep "warning: cannot use the cache oci://127.0.0.1:$down/stick for [a-z]* [^ ]*: .*127.0.0.1.*; building it, and what else it would have given, locally" G.err &&
	test $(grep -c warning G.err) = 1 &&
	cmp helloA helloG
'

test_expect_success 'https: a certificate this machine does not trust is refused; the build goes on locally' '
	url=oci://127.0.0.1:$TLS_PORT/stick &&
	curl -sf --cacert tls-cert.pem "https://127.0.0.1:$TLS_PORT/v2/" &&
	home T toolchains stdlib &&
	STICK_HOME=$TRASH/T STICK_CACHE=$url "$STICK" build --python "$PY" \
		--sources "$SOURCES" --script hello.py -o helloT 2>T.err &&
	cat T.err &&
	test_grep "warning: cannot use the cache $url for [a-z]* [^ ]*: .*certificate" T.err &&
	cmp helloA helloT &&
	STICK_CACHE=$url test_expect_code 1 on A cache push "$KEY" 2>err &&
	test_grep "error: cannot push to the cache $url: .*certificate" err &&
	! test -e tls/data/docker
'

test_expect_success 'a web server answering HTML is no registry' '
	hport=$HTML_PORT &&
	home H toolchains stdlib &&
	STICK_CACHE=oci://127.0.0.1:$hport/stick obuild H helloH $OPTS &&
	test_grep "warning: cannot use the cache oci://127.0.0.1:$hport/stick for [a-z]* [^ ]*: 127.0.0.1:$hport is not an OCI registry: GET http://127.0.0.1:$hport/v2/ answered 200 (text/html.*<html><body>login" H.err &&
	cmp helloA helloH &&
	STICK_CACHE=oci://127.0.0.1:$hport/stick test_expect_code 1 \
		on A cache $OPTS push "$KEY" 2>err &&
	test_grep "error: cannot push to the cache .*not an OCI registry" err
'

if [ -n "${AUTH_PORT:-}" ]; then
	test_expect_success 'basic auth: refused without and with wrong credentials, then pushed and pulled' '
		url=oci://127.0.0.1:$AUTH_PORT/stick &&
		entry=$(sed -n "s/^pushed embed \([^ ]*\) .*/\1/p" A.err) &&
		test_expect_code 1 env -u STICK_CACHE_AUTH HOME=$TRASH/nohome \
			STICK_HOME=$TRASH/A "$STICK" cache --cache $url $OPTS \
			push "embed/$entry" 2>err &&
		test_grep "requires a login: set STICK_CACHE_AUTH=user:password" err &&
		STICK_CACHE_AUTH=ci:wrong test_expect_code 1 env STICK_HOME=$TRASH/A \
			"$STICK" cache --cache $url $OPTS push "embed/$entry" 2>err &&
		test_grep "refused the credentials from STICK_CACHE_AUTH" err &&
		STICK_CACHE_AUTH=ci:s3cret STICK_HOME=$TRASH/A \
			"$STICK" cache --cache $url $OPTS push "embed/$entry" 2>err &&
		test_grep "^pushed embed $entry" err &&
		mkdir -p dh/.docker &&
		printf "{\"auths\": {\"127.0.0.1:%s\": {\"auth\": \"%s\"}}}\n" \
			"$AUTH_PORT" "$(printf ci:s3cret | base64)" >dh/.docker/config.json &&
		home I toolchains stdlib &&
		HOME=$TRASH/dh STICK_CACHE=$url obuild I helloI $OPTS &&
		test_grep "^pull embed $entry from $url" I.err &&
		! grep warning I.err &&
		cmp helloA helloI
	'
else
	test_skip 'basic auth' 'no htpasswd: scripts/setup installs apache2-utils'
fi

test_expect_success 'bearer tokens: credentials refused by the token service, then pushed and pulled' '
	url=oci://127.0.0.1:$BEARER_PORT/stick &&
	entry=$(sed -n "s/^pushed embed \([^ ]*\) .*/\1/p" A.err) &&
	test_expect_code 1 env -u STICK_CACHE_AUTH HOME=$TRASH/nohome \
		STICK_HOME=$TRASH/A "$STICK" cache --cache $url $OPTS \
		push "embed/$entry" 2>err &&
	test_grep "the token service http://127.0.0.1:[0-9]*/token answered 401: set STICK_CACHE_AUTH" err &&
	STICK_CACHE_AUTH=ci:wrong test_expect_code 1 env STICK_HOME=$TRASH/A \
		"$STICK" cache --cache $url $OPTS push "embed/$entry" 2>err &&
	test_grep "the token service .* refused the credentials from STICK_CACHE_AUTH (401)" err &&
	STICK_CACHE_AUTH=ci:s3cret STICK_HOME=$TRASH/A \
		"$STICK" cache --cache $url $OPTS push "embed/$entry" 2>err &&
	test_grep "^pushed embed $entry" err &&
	home N toolchains stdlib &&
	STICK_CACHE_AUTH=ci:s3cret STICK_CACHE=$url obuild N helloN $OPTS &&
	test_grep "^pull embed $entry from $url" N.err &&
	! grep warning N.err &&
	cmp helloA helloN
'

test_expect_success 'two pushers racing: both succeed with the same bytes' '
	entry=$(sed -n "s/^pushed stdlib \([^ ]*\) .*/\1/p" A.err) &&
	url=oci://127.0.0.1:$REG_PORT/race &&
	{ on A cache --cache $url $OPTS push "$KEY" "stdlib/$entry" >r1 2>&1 & }
	p1=$!
	{ on A cache --cache $url $OPTS push "$KEY" "stdlib/$entry" >r2 2>&1 & }
	p2=$!
	wait $p1 && wait $p2 && cat r1 r2 &&
	test $(cat r1 r2 | grep -c "toolchain $KEY") = 2 &&
	! grep error r1 r2
'

test_expect_success 'another manifest under a pushed tag is an error, and stays' '
	url=oci://127.0.0.1:$REG_PORT/race &&
	entry=$(sed -n "s/^pushed stdlib \([^ ]*\) .*/\1/p" A.err) &&
	home J && mkdir -p J/stdlib && cp -r "$TRASH/A/stdlib/$entry" J/stdlib/ &&
	echo "/* other */" >>"J/stdlib/$entry/frozen.c" &&
	test_expect_code 1 env STICK_HOME=$TRASH/J "$STICK" cache --cache $url \
		$OPTS push "stdlib/$entry" 2>err &&
	test_grep "already has the tag .stdlib-$entry. with other content (layer sha256:[0-9a-f]*; this build.s is sha256:[0-9a-f]*)" err &&
	on A cache --cache $url $OPTS push "stdlib/$entry" 2>err &&
	test_grep "already in" err
'

test_done
