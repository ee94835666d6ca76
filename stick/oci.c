#include "oci.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "ocijson.h"
#include "version.h"
#include "banned.h"

#define USER_AGENT "stick/" STICK_VERSION
/* The largest manifest or token answer read into memory. */
#define OCI_SMALL_MAX (4L << 20)
/* Blobs above this go up in PATCHes of this size. */
#define OCI_DEFAULT_CHUNK (16L << 20)

/* ---- the URL ---- */

static bool repo_component_ok(const char *s, size_t n)
{
	if (!n || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isupper(c) || !(isalnum(c) || strchr("._-", c)))
			return false;
		if (strchr("._", c) && strchr("._", s[i + 1]) &&
		    !(c == '_' && s[i + 1] == '_'))
			return false;
	}
	return true;
}

static bool repo_ok(const char *repo)
{
	const char *p = repo;

	if (!*p || strlen(p) > 255)
		return false;
	for (;;) {
		size_t n = strcspn(p, "/");

		if (!repo_component_ok(p, n))
			return false;
		if (!p[n])
			return true;
		p += n + 1;
	}
}

/* HOST[:PORT]: a name or an IPv4 address, or [IPv6]; a port 1-65535. */
static bool host_ok(const char *host, char **name)
{
	const char *colon;
	size_t n;

	if (host[0] == '[') {
		const char *close = strchr(host, ']');

		if (!close || close == host + 1)
			return false;
		n = (size_t)(close - host) + 1;
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] && !colon)
			return false;
	} else {
		colon = strchr(host, ':');
		n = colon ? (size_t)(colon - host) : strlen(host);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)host[i];

			if (!isalnum(c) && c != '.' && c != '-')
				return false;
		}
	}
	if (!n)
		return false;
	if (colon) {
		char *end;
		long port = strtol(colon + 1, &end, 10);

		if (!colon[1] || *end || port < 1 || port > 65535 ||
		    !isdigit((unsigned char)colon[1]))
			return false;
	}
	*name = xstrndup(host, n);
	return true;
}

static bool is_loopback(const char *name)
{
	return !strcasecmp(name, "localhost") || starts_with(name, "127.") ||
		!strcmp(name, "[::1]");
}

int oci_parse(struct oci_registry *r, const char *url, bool insecure,
	      char **why)
{
	const char *rest = url, *slash = NULL;
	char *host = NULL, *name = NULL;

	memset(r, 0, sizeof(*r));
	*why = NULL;
	if (!starts_with(url, "oci://"))
		*why = xasprintf("'%s' is not a registry URL: write "
			"oci://HOST[:PORT]/REPO", url);
	else if (!(slash = strchr(rest += 6, '/')))
		*why = xasprintf("'%s' names no repository: write "
			"oci://HOST[:PORT]/REPO", url);
	else if (!host_ok(host = xstrndup(rest, (size_t)(slash - rest)), &name))
		*why = xasprintf("'%s': '%s' is not HOST or HOST:PORT", url,
				 host);
	else if (!repo_ok(slash + 1))
		*why = xasprintf("'%s': '%s' is not a repository name (lowercase "
			"letters, digits, '.', '_', '-' and '/' between "
			"components)", url, slash + 1);
	else if (insecure && !is_loopback(name))
		*why = xasprintf("--cache-insecure (plain http) is only for a "
			"registry on this machine (localhost, 127.0.0.1, [::1]), "
			"not '%s'", name);
	if (!*why) {
		r->url = xstrdup(url);
		r->host = host;
		r->repo = xstrdup(slash + 1);
		r->insecure = insecure;
		r->base = xasprintf("%s://%s", insecure ? "http" : "https", host);
		r->chunk = OCI_DEFAULT_CHUNK;
		host = NULL;
	}
	free(host);
	free(name);
	return *why ? -1 : 0;
}

void oci_release(struct oci_registry *r)
{
	if (r->curl)
		curl_easy_cleanup(r->curl);
	free(r->url); free(r->host); free(r->repo); free(r->base);
	free(r->auth); free(r->auth_from); free(r->token);
	strbuf_release(&r->why);
	memset(r, 0, sizeof(*r));
}

static int why(struct oci_registry *r, const char *fmt, ...)
	PRINTF_LIKE(2, 3);
static int why(struct oci_registry *r, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	r->why.len = 0;
	strbuf_addstr(&r->why, text);
	free(text);
	return -1;
}

/* ---- credentials ---- */

static char *base64_decode(const char *s)
{
	size_t n = strlen(s);
	unsigned char *out = xmalloc(n / 4 * 3 + 4);
	int len = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);

	if (len < 0 || n % 4) {
		free(out);
		return NULL;
	}
	while (n && s[n - 1] == '=') {
		len--;
		n--;
	}
	out[len] = 0;
	return (char *)out;
}

static char *base64_encode(const char *s)
{
	size_t n = strlen(s);
	unsigned char *out = xmalloc((n + 2) / 3 * 4 + 1);

	EVP_EncodeBlock(out, (const unsigned char *)s, (int)n);
	return (char *)out;
}

/* The auths entry of a docker config.json for r's host, or NULL. */
static const struct json *docker_auth(const struct json *cfg, const char *host)
{
	const struct json *auths = json_get(cfg, "auths");
	const char *forms[] = { "%s", "https://%s", "http://%s", "https://%s/v2/" };

	for (size_t i = 0; auths && i < ARRAY_SIZE(forms); i++) {
		char *k = xasprintf(forms[i], host);
		const struct json *a = json_get(auths, k);

		free(k);
		if (a)
			return a;
	}
	return NULL;
}

static int docker_credentials(struct oci_registry *r)
{
	const char *dc = getenv("DOCKER_CONFIG"), *home = getenv("HOME");
	char *path = dc ? path_join(dc, "config.json") :
		home ? xasprintf("%s/.docker/config.json", home) : NULL;
	size_t len;
	char *text = path ? read_file(path, &len) : NULL, *jwhy = NULL;
	struct json *cfg = text ? json_parse(text, len, &jwhy) : NULL;
	const struct json *a = cfg ? docker_auth(cfg, r->host) : NULL;
	const char *b64 = a ? json_get_str(a, "auth") : NULL;
	int ret = 0;

	if (text && !cfg)
		ret = why(r, "cannot read '%s': %s", path, jwhy);
	if (b64 && !(r->auth = base64_decode(b64)))
		ret = why(r, "'%s': the auth of '%s' is not base64", path, r->host);
	else if (a && !b64 && json_get_str(a, "username") &&
		 json_get_str(a, "password"))
		r->auth = xasprintf("%s:%s", json_get_str(a, "username"),
				    json_get_str(a, "password"));
	if (r->auth)
		r->auth_from = xstrdup(path);
	json_free(cfg);
	free(jwhy);
	free(text);
	free(path);
	return ret;
}

int oci_credentials(struct oci_registry *r)
{
	const char *env = getenv("STICK_CACHE_AUTH");

	if (env && *env) {
		if (!strchr(env, ':'))
			return why(r, "STICK_CACHE_AUTH must be user:password");
		r->auth = xstrdup(env);
		r->auth_from = xstrdup("STICK_CACHE_AUTH");
		return 0;
	}
	return docker_credentials(r);
}

/* ---- one HTTP exchange ---- */

/* What a request sends: nothing, bytes in memory, or part of a file. */
struct oci_body {
	const char *mem;
	FILE *f;
	off_t start, len, pos;
};

struct oci_resp {
	long status;
	struct strbuf headers;  /* the last response's header lines */
	struct strbuf body;     /* the body, up to OCI_SMALL_MAX */
	FILE *out;              /* or: the body written here */
	EVP_MD_CTX *sha;        /* and hashed */
	off_t got, max;
	bool over;              /* the body went past max */
};

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct oci_resp *resp = arg;

	if (n * size >= 5 && !strncmp(p, "HTTP/", 5))
		resp->headers.len = 0;
	strbuf_add(&resp->headers, p, size * n);
	return size * n;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct oci_resp *resp = arg;
	size_t len = size * n;

	if (resp->got + (off_t)len > resp->max) {
		resp->over = true;
		return 0;
	}
	resp->got += (off_t)len;
	if (!resp->out) {
		strbuf_add(&resp->body, p, len);
		return len;
	}
	EVP_DigestUpdate(resp->sha, p, len);
	return fwrite(p, 1, len, resp->out);
}

static size_t on_read(char *p, size_t size, size_t n, void *arg)
{
	struct oci_body *b = arg;
	size_t want = size * n, left = (size_t)(b->len - b->pos);

	if (want > left)
		want = left;
	if (b->mem)
		memcpy(p, b->mem + b->pos, want);
	else if (want && fread(p, 1, want, b->f) != want)
		return CURL_READFUNC_ABORT;
	b->pos += (off_t)want;
	return want;
}

/* The value of the last response's header name, or NULL (caller frees). */
static char *resp_header(const struct oci_resp *resp, const char *name)
{
	size_t n = strlen(name);
	const char *p = resp->headers.buf;

	while (p && *p) {
		size_t len = strcspn(p, "\r\n");

		if (len > n && p[n] == ':' && !strncasecmp(p, name, n)) {
			const char *v = p + n + 1;

			while (*v == ' ' || *v == '\t')
				v++;
			return xstrndup(v, (size_t)(p + len - v));
		}
		p += len;
		p += strspn(p, "\r\n");
	}
	return NULL;
}

static void body_rewind(struct oci_body *b)
{
	b->pos = 0;
	if (b->f)
		fseeko(b->f, b->start, SEEK_SET);
}

static void resp_reset(struct oci_resp *resp)
{
	resp->status = 0;
	resp->headers.len = 0;
	resp->body.len = 0;
	resp->got = 0;
	resp->over = false;
	if (resp->out) {
		rewind(resp->out);
		if (ftruncate(fileno(resp->out), 0))
			resp->max = 0;
		EVP_DigestInit_ex(resp->sha, EVP_sha256(), NULL);
	}
}

static void set_method(CURL *c, const char *method, struct oci_body *b)
{
	if (!strcmp(method, "HEAD")) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (!strcmp(method, "POST")) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
	} else if (strcmp(method, "GET")) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, b);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE,
				 (curl_off_t)(b ? b->len : 0));
	} else {
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	}
}

static CURL *registry_curl(struct oci_registry *r)
{
	static bool init;

	if (!init && curl_global_init(CURL_GLOBAL_DEFAULT) == 0)
		init = true;
	if (!r->curl)
		r->curl = curl_easy_init();
	else
		curl_easy_reset(r->curl);
	return r->curl;
}

static int perform(struct oci_registry *r, const char *method,
		   const char *url, const struct strvec *hdrs,
		   struct oci_body *b, struct oci_resp *resp)
{
	CURL *c = registry_curl(r);
	struct curl_slist *list = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode res;

	if (!c)
		return why(r, "cannot start libcurl");
	for (size_t i = 0; i < hdrs->n; i++)
		list = curl_slist_append(list, hdrs->v[i]);
	list = curl_slist_append(list, "Expect:");
	if (r->token) {
		char *h = xasprintf("Authorization: Bearer %s", r->token);

		list = curl_slist_append(list, h);
		free(h);
	} else if (r->send_basic && r->auth) {
		char *b64 = base64_encode(r->auth);
		char *h = xasprintf("Authorization: Basic %s", b64);

		list = curl_slist_append(list, h);
		free(h);
		free(b64);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, r->insecure ? "http" : "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
			 r->insecure ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	set_method(c, method, b);
	if (b)
		body_rewind(b);
	resp_reset(resp);
	res = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_slist_free_all(list);
	if (res == CURLE_OK)
		return 0;
	if (res == CURLE_WRITE_ERROR && resp->over && !resp->out)
		return why(r, "%s %s: the answer is larger than %ld bytes",
			   method, url, OCI_SMALL_MAX);
	return why(r, "%s %s: %s", method, url,
		   errbuf[0] ? errbuf : curl_easy_strerror(res));
}

/* ---- authentication ---- */

/* The value of param in a WWW-Authenticate challenge, or NULL. */
static char *challenge_param(const char *ch, const char *param)
{
	size_t n = strlen(param);
	const char *p = strchr(ch, ' ');

	while (p && *p) {
		p += strspn(p, " ,");
		if (!strncasecmp(p, param, n) && p[n] == '=') {
			p += n + 1;
			if (*p == '"')
				return xstrndup(p + 1, strcspn(p + 1, "\""));
			return xstrndup(p, strcspn(p, ", "));
		}
		/* Skip this param's value. */
		p += strcspn(p, "=\"");
		if (*p == '=')
			p++;
		if (*p == '"')
			p = strchr(p + 1, '"') ? strchr(p + 1, '"') + 1 : NULL;
		else if (p)
			p += strcspn(p, ",");
	}
	return NULL;
}

static void add_query(struct strbuf *url, CURL *c, const char *name,
		      const char *value)
{
	char *v = curl_easy_escape(c, value, 0);

	strbuf_addf(url, "%c%s=%s", strchr(url->buf, '?') ? '&' : '?', name, v);
	curl_free(v);
}

/* The bearer-token flow: GET realm?service=...&scope=... for a token. */
static int fetch_token(struct oci_registry *r, const char *ch)
{
	char *realm = challenge_param(ch, "realm");
	char *service = challenge_param(ch, "service");
	char *scope = challenge_param(ch, "scope");
	struct strbuf url = STRBUF_INIT;
	struct oci_resp resp = { .max = OCI_SMALL_MAX };
	struct strvec hdrs = STRVEC_INIT;
	struct json *j = NULL;
	char *jwhy = NULL;
	const char *tok;
	int ret = 0;

	if (!realm || !(starts_with(realm, "https://") ||
			(r->insecure && starts_with(realm, "http://"))))
		ret = why(r, "%s asks for a bearer token at '%s', which is not "
			  "an https URL", r->host, realm ? realm : "(no realm)");
	if (!ret) {
		strbuf_addstr(&url, realm);
		if (service)
			add_query(&url, registry_curl(r), "service", service);
		if (scope)
			add_query(&url, registry_curl(r), "scope", scope);
		free(r->token);
		r->token = NULL;
		r->send_basic = r->auth != NULL;
		ret = perform(r, "GET", url.buf, &hdrs, NULL, &resp);
		r->send_basic = false;
	}
	if (!ret && resp.status != 200 && r->auth)
		ret = why(r, "the token service %s refused the credentials from "
			  "%s (%ld)", realm, r->auth_from, resp.status);
	else if (!ret && resp.status != 200)
		ret = why(r, "the token service %s answered %ld: set "
			  "STICK_CACHE_AUTH=user:password or log in with docker "
			  "login", realm, resp.status);
	if (!ret && resp.status == 200 &&
	    !(j = json_parse(resp.body.buf ? resp.body.buf : "",
			     resp.body.len, &jwhy)))
		ret = why(r, "the token service %s answered no JSON: %s",
			  realm, jwhy);
	tok = j ? json_get_str(j, "token") : NULL;
	if (!tok && j)
		tok = json_get_str(j, "access_token");
	if (!ret && !tok)
		ret = why(r, "the token service %s answered no token", realm);
	if (!ret)
		r->token = xstrdup(tok);
	json_free(j);
	free(jwhy); free(realm); free(service); free(scope);
	strbuf_release(&url);
	strbuf_release(&resp.headers);
	strbuf_release(&resp.body);
	return ret;
}

/*
 * After a 401: answers the challenge (basic credentials, or a bearer
 * token). 0 when the request is worth another try.
 */
static int answer_challenge(struct oci_registry *r, struct oci_resp *resp,
			    int attempt)
{
	char *ch = resp_header(resp, "WWW-Authenticate");
	int ret;

	if (!ch)
		ret = why(r, "%s answered 401 Unauthorized without a challenge",
			  r->host);
	else if (!strncasecmp(ch, "Basic", 5) && !r->auth)
		ret = why(r, "%s requires a login: set STICK_CACHE_AUTH="
			  "user:password or log in with docker login", r->host);
	else if (!strncasecmp(ch, "Basic", 5) && (r->send_basic || attempt))
		ret = why(r, "%s refused the credentials from %s", r->host,
			  r->auth_from);
	else if (!strncasecmp(ch, "Basic", 5))
		r->send_basic = true, ret = 0;
	else if (!strncasecmp(ch, "Bearer", 6) && attempt > 1)
		ret = why(r, "%s refused the token it gave%s%s", r->host,
			  r->auth ? " for the credentials from " : "",
			  r->auth ? r->auth_from : " (no credentials given)");
	else if (!strncasecmp(ch, "Bearer", 6))
		ret = fetch_token(r, ch);
	else
		ret = why(r, "%s asks for an authentication stick does not "
			  "speak: %s", r->host, ch);
	free(ch);
	return ret;
}

static int request(struct oci_registry *r, const char *method,
		   const char *url, const struct strvec *hdrs,
		   struct oci_body *b, struct oci_resp *resp)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		if (perform(r, method, url, hdrs, b, resp))
			return -1;
		if (resp->status != 401)
			return 0;
		if (answer_challenge(r, resp, attempt))
			return -1;
	}
	return why(r, "%s keeps answering 401 Unauthorized", r->host);
}

/* ---- the calls ---- */

/* The start of an unexpected answer's body, for a message. */
static char *snippet(const struct oci_resp *resp)
{
	struct strbuf sb = STRBUF_INIT;
	char *type = resp_header(resp, "Content-Type");

	strbuf_addf(&sb, "%ld", resp->status);
	if (type)
		strbuf_addf(&sb, " (%s)", type);
	for (size_t i = 0; i < resp->body.len && i < 120; i++) {
		unsigned char c = (unsigned char)resp->body.buf[i];

		if (!i)
			strbuf_addstr(&sb, ": ");
		strbuf_add(&sb, isprint(c) ? (char *)&c : " ", 1);
	}
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = 0;
	free(type);
	return strbuf_detach(&sb);
}

static void resp_release(struct oci_resp *resp)
{
	strbuf_release(&resp->headers);
	strbuf_release(&resp->body);
}

int oci_ping(struct oci_registry *r)
{
	char *url = xasprintf("%s/v2/", r->base);
	struct oci_resp resp = { .max = OCI_SMALL_MAX };
	struct strvec hdrs = STRVEC_INIT;
	int ret = request(r, "GET", url, &hdrs, NULL, &resp);
	char *api = ret ? NULL :
		resp_header(&resp, "Docker-Distribution-API-Version");

	if (!ret && (resp.status != 200 || !api)) {
		char *s = snippet(&resp);

		ret = why(r, "%s is not an OCI registry: GET %s answered %s",
			  r->host, url, s);
		free(s);
	}
	free(api);
	free(url);
	resp_release(&resp);
	return ret;
}

static bool is_manifest_type(const char *type)
{
	return type && (starts_with(type, OCI_MANIFEST_TYPE) ||
			starts_with(type, "application/json"));
}

int oci_manifest_get(struct oci_registry *r, const char *tag,
		     struct strbuf *body)
{
	char *url = xasprintf("%s/v2/%s/manifests/%s", r->base, r->repo, tag);
	struct oci_resp resp = { .max = OCI_SMALL_MAX };
	struct strvec hdrs = STRVEC_INIT;
	char *type = NULL, *s = NULL;
	int ret;

	strvec_push(&hdrs, "Accept: " OCI_MANIFEST_TYPE);
	ret = request(r, "GET", url, &hdrs, NULL, &resp);
	if (!ret && resp.status == 404)
		ret = 1;
	else if (!ret && resp.status != 200)
		ret = why(r, "GET %s answered %s", url, s = snippet(&resp));
	else if (!ret && !is_manifest_type(type = resp_header(&resp,
							"Content-Type")))
		ret = why(r, "GET %s answered %s, not an OCI manifest", url,
			  s = snippet(&resp));
	if (!ret) {
		*body = resp.body;
		resp.body = (struct strbuf)STRBUF_INIT;
	}
	free(s);
	free(type);
	free(url);
	strvec_clear(&hdrs);
	resp_release(&resp);
	return ret;
}

int oci_manifest_put(struct oci_registry *r, const char *tag,
		     const char *body, size_t len)
{
	char *url = xasprintf("%s/v2/%s/manifests/%s", r->base, r->repo, tag);
	struct oci_resp resp = { .max = OCI_SMALL_MAX };
	struct oci_body b = { .mem = body, .len = (off_t)len };
	struct strvec hdrs = STRVEC_INIT;
	char *s = NULL;
	int ret;

	strvec_push(&hdrs, "Content-Type: " OCI_MANIFEST_TYPE);
	ret = request(r, "PUT", url, &hdrs, &b, &resp);
	if (!ret && resp.status != 201 && resp.status != 200)
		ret = why(r, "PUT %s answered %s", url, s = snippet(&resp));
	free(s);
	free(url);
	strvec_clear(&hdrs);
	resp_release(&resp);
	return ret;
}

static int check_blob(struct oci_registry *r, struct oci_resp *resp,
		      const char *digest, off_t size)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char hex[65];

	if (fflush(resp->out) || ferror(resp->out))
		return why(r, "cannot write the blob %s:%s", digest,
			   strerror(errno));
	if (resp->got != size)
		return why(r, "the blob %s has %lld bytes, not the %lld of the "
			   "manifest", digest, (long long)resp->got,
			   (long long)size);
	EVP_DigestFinal_ex(resp->sha, md, &n);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	if (strcmp(hex, digest + 7))
		return why(r, "the blob %s has the sha256 %s: not what the "
			   "manifest names", digest, hex);
	return 0;
}

int oci_blob_get(struct oci_registry *r, const char *digest, off_t size,
		 const char *path)
{
	char *url = xasprintf("%s/v2/%s/blobs/%s", r->base, r->repo, digest);
	struct oci_resp resp = { .max = size };
	struct strvec hdrs = STRVEC_INIT;
	int ret = 0;

	if (!starts_with(digest, "sha256:") || !digest_is_sha256(digest + 7))
		ret = why(r, "the manifest names a blob '%s', not sha256:HEX",
			  digest);
	if (!ret && !(resp.out = fopen(path, "wbx")))
		ret = why(r, "cannot create '%s': %s", path, strerror(errno));
	resp.sha = EVP_MD_CTX_new();
	EVP_DigestInit_ex(resp.sha, EVP_sha256(), NULL);
	if (!ret)
		ret = request(r, "GET", url, &hdrs, NULL, &resp);
	/* on_body stops a blob that grows past its size: say so. */
	if (ret && resp.over)
		ret = why(r, "the blob %s is longer than the %lld bytes of the "
			  "manifest", digest, (long long)size);
	if (!ret && resp.status != 200) {
		char *s = snippet(&resp);

		ret = why(r, "GET %s answered %s", url, s);
		free(s);
	}
	if (!ret)
		ret = check_blob(r, &resp, digest, size);
	if (resp.out && fclose(resp.out) && !ret)
		ret = why(r, "cannot write '%s': %s", path, strerror(errno));
	if (ret && resp.out)
		unlink(path);
	EVP_MD_CTX_free(resp.sha);
	free(url);
	resp_release(&resp);
	return ret;
}

int oci_blob_exists(struct oci_registry *r, const char *digest)
{
	char *url = xasprintf("%s/v2/%s/blobs/%s", r->base, r->repo, digest);
	struct oci_resp resp = { .max = OCI_SMALL_MAX };
	struct strvec hdrs = STRVEC_INIT;
	int ret = request(r, "HEAD", url, &hdrs, NULL, &resp);

	if (!ret && resp.status == 404)
		ret = 1;
	else if (!ret && resp.status != 200)
		ret = why(r, "HEAD %s answered %ld", url, resp.status);
	free(url);
	resp_release(&resp);
	return ret;
}

/* An upload's next URL: its Location, made absolute. */
static int upload_location(struct oci_registry *r, struct oci_resp *resp,
			   const char *what, char **url)
{
	char *loc = resp_header(resp, "Location");

	if (resp->status != 202 || !loc) {
		char *s = snippet(resp);

		why(r, "%s answered %s%s", what, s,
		    loc ? "" : " without a Location");
		free(s);
		free(loc);
		return -1;
	}
	free(*url);
	*url = loc[0] == '/' ? xasprintf("%s%s", r->base, loc) : xstrdup(loc);
	free(loc);
	return 0;
}

/* PATCHes b's file in chunks to *url, following each new Location. */
static int push_chunks(struct oci_registry *r, struct oci_body *whole,
		       char **url)
{
	struct oci_resp resp = { .max = OCI_SMALL_MAX };
	int ret = 0;

	for (off_t at = 0; !ret && at < whole->len; at += r->chunk) {
		struct oci_body b = { .f = whole->f, .start = at,
			.len = whole->len - at < r->chunk ? whole->len - at :
			r->chunk };
		struct strvec hdrs = STRVEC_INIT;

		strvec_push(&hdrs, "Content-Type: application/octet-stream");
		strvec_pushf(&hdrs, "Content-Range: %lld-%lld", (long long)at,
			     (long long)(at + b.len - 1));
		ret = request(r, "PATCH", *url, &hdrs, &b, &resp);
		if (!ret)
			ret = upload_location(r, &resp, "PATCH of a blob", url);
		strvec_clear(&hdrs);
	}
	resp_release(&resp);
	return ret;
}

/* POST, then one PUT (or PATCHes and a closing PUT). */
static int push_upload(struct oci_registry *r, const char *digest,
		       struct oci_body *b)
{
	char *url = xasprintf("%s/v2/%s/blobs/uploads/", r->base, r->repo);
	struct oci_resp resp = { .max = OCI_SMALL_MAX };
	struct strvec hdrs = STRVEC_INIT;
	struct oci_body none = { .mem = "", .len = 0 };
	bool chunked = b->f && b->len > r->chunk;
	struct strbuf put = STRBUF_INIT;
	char *s = NULL;
	int ret = request(r, "POST", url, &hdrs, NULL, &resp);

	if (!ret)
		ret = upload_location(r, &resp, "POST of an upload", &url);
	if (!ret && chunked)
		ret = push_chunks(r, b, &url);
	if (!ret) {
		strbuf_addf(&put, "%s%cdigest=%s", url,
			    strchr(url, '?') ? '&' : '?', digest);
		strvec_push(&hdrs, "Content-Type: application/octet-stream");
		ret = request(r, "PUT", put.buf, &hdrs, chunked ? &none : b,
			      &resp);
	}
	if (!ret && resp.status != 201)
		ret = why(r, "PUT of blob %s answered %s", digest,
			  s = snippet(&resp));
	free(s);
	free(url);
	strbuf_release(&put);
	strvec_clear(&hdrs);
	resp_release(&resp);
	return ret;
}

int oci_blob_push(struct oci_registry *r, const char *digest,
		  const char *path, const void *data, off_t len)
{
	struct oci_body b = { .mem = data, .len = len };
	int ret = oci_blob_exists(r, digest);

	if (ret != 1)
		return ret;
	if (path && !(b.f = fopen(path, "rb")))
		return why(r, "cannot open '%s': %s", path, strerror(errno));
	ret = push_upload(r, digest, &b);
	if (b.f)
		fclose(b.f);
	return ret;
}
