/*
 * Stage 1, fetch. A source file reaches its final name in the cache only
 * after its sha256 matched: downloads go to FILE.part (kept, so a later run
 * resumes it) and local copies to a temporary name, then rename. A lock per
 * file (.locks/FILE.lock) makes stick processes sharing a cache take turns
 * on that file, so the second one finds what the first fetched.
 */
#include "fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "log.h"
#include "banned.h"

#define USER_AGENT "stick/0.1"
#define MAX_BACKOFF 30

/* What looking for a source file (in a directory, at a URL) came to. */
enum lookup {
	LOOKUP_FOUND,    /* a verified copy is in the cache: *path */
	LOOKUP_MISSING,  /* not there; go on with the next place */
	LOOKUP_ERROR,    /* stop: a message said why */
};

/* Returns the locked descriptor (close it to unlock), or -1. */
static int lock_source(const char *cache_dir, const char *file)
{
	char *path = xasprintf("%s/.locks/%s.lock", cache_dir, file);
	char *what = xasprintf("fetching %s", file);
	int fd = lock_take(path, what);

	free(path);
	free(what);
	return fd;
}

/*
 * Puts a verified file into the cache: a hard link when both sit on one
 * file system, a copy otherwise, committed into place either way.
 */
static int install_file(const char *from, const char *final)
{
	struct tempfile t;
	int ret = 0;

	tempfile_init(&t, final);
	if (linkat(AT_FDCWD, from, AT_FDCWD, t.path, AT_SYMLINK_FOLLOW) &&
	    copy_file(from, t.path))
		ret = -1;
	else
		ret = tempfile_commit(&t);
	tempfile_release(&t);
	return ret;
}

static bool file_matches(const char *path, const char *sha256)
{
	char actual[65];

	return !digest_file(path, actual) && !strcmp(actual, sha256);
}

/* Like find_local(), for --sources DIR only. */
static enum lookup find_in_sources_dir(const struct fetch_opts *o,
				       const struct recipe_source *s,
				       const char *final)
{
	enum lookup ret;
	char *src;

	if (!o->sources_dir)
		return LOOKUP_MISSING;
	src = path_join(o->sources_dir, s->file);
	if (!path_exists(src)) {
		free(src);
		return LOOKUP_MISSING;
	}
	log_verbose("found %s", src);
	if (digest_verify(src, s->sha256, NULL))
		ret = LOOKUP_ERROR;
	else if (path_exists(final) && file_matches(final, s->sha256))
		ret = LOOKUP_FOUND;
	else
		ret = install_file(src, final) ? LOOKUP_ERROR : LOOKUP_FOUND;
	free(src);
	return ret;
}

/*
 * Looks for s in --sources DIR, then in the cache, without the network;
 * *path is set when found. A copy with the wrong digest is an error.
 */
static enum lookup find_local(const struct fetch_opts *o,
			      const struct recipe_source *s, char **path)
{
	char *final = path_join(o->cache_dir, s->file);
	enum lookup ret = find_in_sources_dir(o, s, final);

	if (ret == LOOKUP_MISSING && path_exists(final)) {
		if (digest_verify(final, s->sha256, NULL)) {
			error("remove '%s' and run stick again to download it "
				"anew", final);
			ret = LOOKUP_ERROR;
		} else {
			ret = LOOKUP_FOUND;
		}
	}
	if (ret == LOOKUP_FOUND)
		*path = final;
	else
		free(final);
	return ret;
}

/* The first source available locally, each looked for under its lock. */
static enum lookup fetch_local(const struct recipe *r,
			       const struct fetch_opts *o, char **path)
{
	enum lookup ret = LOOKUP_MISSING;

	for (size_t i = 0; ret == LOOKUP_MISSING && i < r->nsources; i++) {
		int fd = lock_source(o->cache_dir, r->sources[i].file);

		if (fd < 0)
			return LOOKUP_ERROR;
		ret = find_local(o, &r->sources[i], path);
		close(fd);
	}
	return ret;
}

/* Everything one download of one source needs, across URLs and retries. */
struct download {
	const struct recipe *r;
	const struct recipe_source *s;
	const struct fetch_opts *o;
	CURL *curl;
	char *final, *part;
	int fd;
	curl_off_t offset;      /* bytes of FILE.part kept from before */
	bool body_started;
	int write_errno;
	char status[64];        /* the last HTTP status, "404 Not Found" */
	char errbuf[CURL_ERROR_SIZE];
	struct step st;
	double started, drawn;
};

enum outcome {
	DL_DONE,        /* verified and renamed to its final name */
	DL_RESTART,     /* FILE.part was emptied; try the same URL again */
	DL_RETRY,       /* a transient failure; worth another attempt */
	DL_NEXT,        /* this URL will not work; go on with the next */
	DL_FATAL,       /* a local failure (disk); stop */
};

/* Empties FILE.part: the download starts again from its first byte. */
static int discard_part(struct download *d)
{
	if (ftruncate(d->fd, 0)) {
		d->write_errno = errno;
		return -1;
	}
	d->offset = 0;
	return 0;
}

static size_t on_write(char *data, size_t size, size_t n, void *p)
{
	struct download *d = p;
	size_t len = size * n, done = 0;
	long code = 0;

	if (!d->body_started) {
		d->body_started = true;
		curl_easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &code);
		/* A server that ignores the range sends the whole file. */
		if (d->offset > 0 && code == 200 && discard_part(d))
			return 0;
	}
	while (done < len) {
		ssize_t w = write(d->fd, data + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			d->write_errno = errno;
			return 0;
		}
		done += (size_t)w;
	}
	return len;
}

static size_t on_header(char *line, size_t size, size_t n, void *p)
{
	struct download *d = p;
	size_t len = size * n;
	const char *sp;

	if (len < 5 || memcmp(line, "HTTP/", 5))
		return len;
	sp = memchr(line, ' ', len);
	if (sp) {
		size_t k = len - (size_t)(sp + 1 - line);

		while (k && strchr(" \r\n", sp[k]))
			k--;
		if (k >= sizeof(d->status))
			k = sizeof(d->status) - 1;
		memcpy(d->status, sp + 1, k);
		d->status[k] = '\0';
	}
	return len;
}

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct download *d = p;
	double t = now_seconds(), have = (double)(d->offset + dlnow);
	double total = (double)(d->offset + dltotal);
	char size[32], rate[32];

	if (!log_is_tty() || t - d->drawn < 0.2 || (!dlnow && !dltotal))
		return 0;
	d->drawn = t;
	format_size((double)dlnow / (t - d->started + 1e-9), rate);
	if (dltotal > 0)
		step_status(&d->st, "%.0f%% of %s, %s/s", 100 * have / total,
			format_size(total, size), rate);
	else
		step_status(&d->st, "%s, %s/s", format_size(have, size), rate);
	return 0;
}

static int download_init(struct download *d)
{
	CURL *c = curl_easy_init();

	if (!c)
		return error("cannot initialise a libcurl handle");
	d->curl = c;
	d->fd = -1;
	d->final = path_join(d->o->cache_dir, d->s->file);
	d->part = xasprintf("%s.part", d->final);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, d->o->connect_timeout);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, d->o->low_speed_time);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, d->errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, d);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, d);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, d);
	return 0;
}

static void download_release(struct download *d)
{
	struct stat st;

	/* An empty FILE.part holds nothing worth resuming. */
	if (d->part && !stat(d->part, &st) && st.st_size == 0)
		unlink(d->part);
	if (d->curl)
		curl_easy_cleanup(d->curl);
	free(d->final);
	free(d->part);
}

static int open_part(struct download *d)
{
	struct stat st;

	d->fd = open(d->part, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (d->fd < 0)
		return error("cannot open '%s':", d->part);
	if (fstat(d->fd, &st)) {
		error("cannot stat '%s':", d->part);
		close(d->fd);
		return -1;
	}
	d->offset = st.st_size;
	return 0;
}

/* One request, appending to FILE.part from its current size. */
static CURLcode transfer(struct download *d, const char *url)
{
	d->status[0] = d->errbuf[0] = '\0';
	d->write_errno = 0;
	d->body_started = false;
	d->started = now_seconds();
	d->drawn = 0;
	if (d->offset)
		log_verbose("resuming %s at byte %lld", url, (long long)d->offset);
	else
		log_verbose("downloading %s", url);
	curl_easy_setopt(d->curl, CURLOPT_URL, url);
	curl_easy_setopt(d->curl, CURLOPT_RESUME_FROM_LARGE, d->offset);
	return curl_easy_perform(d->curl);
}

static enum outcome why_failed(struct download *d, CURLcode res,
			       struct strbuf *why, enum outcome out)
{
	strbuf_addstr(why, d->errbuf[0] ? d->errbuf : curl_easy_strerror(res));
	return out;
}

static enum outcome http_failed(struct download *d, struct strbuf *why)
{
	long code = 0;

	curl_easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &code);
	if (d->status[0])
		strbuf_addf(why, "HTTP %s", d->status);
	else
		strbuf_addf(why, "HTTP %ld", code);
	if (code == 416 && d->offset > 0)
		return DL_RESTART;
	if (code >= 500 || code == 408 || code == 429)
		return DL_RETRY;
	return DL_NEXT;
}

static enum outcome classify(struct download *d, CURLcode res,
			     struct strbuf *why)
{
	long oserr = 0;

	switch (res) {
	case CURLE_HTTP_RETURNED_ERROR:
		return http_failed(d, why);
	case CURLE_RANGE_ERROR:
		strbuf_addstr(why, "the server cannot resume a download");
		return d->offset > 0 ? DL_RESTART : DL_NEXT;
	case CURLE_WRITE_ERROR:
		errno = d->write_errno;
		error("cannot write '%s':", d->part);
		return DL_FATAL;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(d->curl, CURLINFO_OS_ERRNO, &oserr);
		if (!oserr)
			return why_failed(d, res, why, DL_RETRY);
		strbuf_addf(why, "cannot connect: %s", strerror((int)oserr));
		return DL_RETRY;
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return why_failed(d, res, why, DL_RETRY);
	default:
		return why_failed(d, res, why, DL_NEXT);
	}
}

static enum outcome truncate_part(struct download *d)
{
	if (truncate(d->part, 0)) {
		error("cannot truncate '%s':", d->part);
		return DL_FATAL;
	}
	return DL_RESTART;
}

/* A complete FILE.part: verify it, then give it its final name. */
static enum outcome finish(struct download *d, const char *url,
			   struct strbuf *why)
{
	char actual[65];

	if (digest_file(d->part, actual))
		return DL_FATAL;
	if (strcmp(actual, d->s->sha256) && d->offset > 0) {
		/* The kept part may come from another file; start over. */
		log_info("'%s' does not match after resuming it; downloading "
			"it again from the start", d->part);
		return truncate_part(d);
	}
	if (strcmp(actual, d->s->sha256)) {
		error("sha256 mismatch for '%s' downloaded from %s\n"
			"  expected: %s\n  actual:   %s", d->s->file, url,
			d->s->sha256, actual);
		unlink(d->part);
		strbuf_addf(why, "sha256 mismatch (got %s)", actual);
		return DL_NEXT;
	}
	if (rename(d->part, d->final)) {
		error("cannot rename '%s' to '%s':", d->part, d->final);
		return DL_FATAL;
	}
	return DL_DONE;
}

static enum outcome attempt(struct download *d, const char *url,
			    struct strbuf *why)
{
	enum outcome out = DL_DONE;
	CURLcode res;

	if (open_part(d))
		return DL_FATAL;
	res = transfer(d, url);
	if (res != CURLE_OK)
		out = classify(d, res, why);
	if (out == DL_DONE && fsync(d->fd)) {
		error("cannot write '%s':", d->part);
		out = DL_FATAL;
	}
	if (close(d->fd) && out == DL_DONE) {
		error("cannot write '%s':", d->part);
		out = DL_FATAL;
	}
	d->fd = -1;
	/* A refused range may mean the part is already complete. */
	if (out == DL_RESTART && file_matches(d->part, d->s->sha256)) {
		d->offset = 0;
		out = DL_DONE;
	}
	if (out == DL_DONE)
		return finish(d, url, why);
	if (out == DL_RESTART) {
		log_verbose("%s: %s; starting over", url, why->buf);
		return truncate_part(d);
	}
	return out;
}

/* Tries one URL, with retries. */
static enum lookup download_url(struct download *d, const char *url,
			struct strbuf *tried)
{
	struct strbuf why = STRBUF_INIT;
	enum outcome out;
	int retries = 0, wait;

	for (;;) {
		strbuf_release(&why);
		out = attempt(d, url, &why);
		if (out == DL_RESTART)
			continue;
		if (out != DL_RETRY || retries >= d->o->retries)
			break;
		wait = retries < 5 ? 1 << retries : MAX_BACKOFF;
		retries++;
		log_info("%s: %s; retrying in %ds", url, why.buf, wait);
		sleep((unsigned)wait);
	}
	if (out == DL_RETRY || out == DL_NEXT) {
		strbuf_addf(tried, "\n  %s: %s", url, why.buf);
		if (retries)
			strbuf_addf(tried, " (%d attempts)", retries + 1);
		log_verbose("%s: %s; trying the next URL", url, why.buf);
	}
	strbuf_release(&why);
	return out == DL_DONE ? LOOKUP_FOUND : out == DL_FATAL ? LOOKUP_ERROR :
		LOOKUP_MISSING;
}

/* Every mirror as MIRROR/FILE, then the source's own URLs. */
static void urls_of(const struct fetch_opts *o,
			const struct recipe_source *s, struct strvec *urls)
{
	for (size_t i = 0; i < o->mirrors.n; i++) {
		const char *m = o->mirrors.v[i];
		size_t n = strlen(m);

		while (n && m[n - 1] == '/')
			n--;
		strvec_pushf(urls, "%.*s/%s", (int)n, m, s->file);
	}
	for (size_t i = 0; i < s->urls.n; i++)
		strvec_push(urls, s->urls.v[i]);
}

static enum lookup download_source(struct download *d,
				   const struct strvec *urls,
				   struct strbuf *tried)
{
	enum lookup ret = LOOKUP_MISSING;

	if (download_init(d))
		return LOOKUP_ERROR;
	step_begin(&d->st, "fetch %s %s (%s)", d->r->name, d->r->version,
		d->s->file);
	for (size_t i = 0; ret == LOOKUP_MISSING && i < urls->n; i++)
		ret = download_url(d, urls->v[i], tried);
	step_end(&d->st, ret == LOOKUP_FOUND);
	return ret;
}

/* Downloads one source under its lock. */
static enum lookup fetch_remote(const struct recipe *r,
				const struct recipe_source *s,
				const struct fetch_opts *o, struct strbuf *tried,
				char **path)
{
	struct download d = { .r = r, .s = s, .o = o };
	struct strvec urls = STRVEC_INIT;
	enum lookup ret;
	int fd;

	urls_of(o, s, &urls);
	if (!urls.n) {
		strbuf_addf(tried, "\n  %s: no URL", s->file);
		return LOOKUP_MISSING;
	}
	fd = lock_source(o->cache_dir, s->file);
	/* Another stick may have fetched it while this one waited. */
	ret = fd < 0 ? LOOKUP_ERROR : find_local(o, s, path);
	if (ret == LOOKUP_MISSING) {
		ret = download_source(&d, &urls, tried);
		if (ret == LOOKUP_FOUND)
			*path = xstrdup(d.final);
		download_release(&d);
	}
	if (fd >= 0)
		close(fd);
	strvec_clear(&urls);
	return ret;
}

static void list_files(const struct recipe *r, struct strbuf *out)
{
	for (size_t i = 0; i < r->nsources; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", r->sources[i].file);
}

static bool has_urls(const struct recipe *r, const struct fetch_opts *o)
{
	for (size_t i = 0; i < r->nsources; i++) {
		if (r->sources[i].urls.n)
			return true;
	}
	return o->mirrors.n > 0;
}

static int no_urls_error(const struct recipe *r)
{
	const struct recipe_source *s = &r->sources[0];
	struct strbuf files = STRBUF_INIT;
	char *debian = NULL;

	list_files(r, &files);
	if (s->debian_package)
		debian = xasprintf(" (Debian source package %s %s)",
			s->debian_package, s->debian_version);
	error("no download URL for %s %s: %s%s is not in the source cache "
		"and the recipe lists no url\n"
		"  run scripts/fetch-sources DIR and pass --sources DIR, "
		"or pass --mirror URL", r->name, r->version, files.buf,
		debian ? debian : "");
	free(debian);
	strbuf_release(&files);
	return -1;
}

static int fetch_failed(const struct recipe *r, const struct strbuf *tried)
{
	struct strbuf files = STRBUF_INIT;

	list_files(r, &files);
	error("cannot fetch %s %s (%s); tried:%s\n"
		"  put the file in a directory and pass --sources DIR "
		"(scripts/fetch-sources DIR downloads every source),\n"
		"  or pass --mirror URL", r->name, r->version, files.buf,
		tried->buf);
	strbuf_release(&files);
	return -1;
}

static int curl_init_once(void)
{
	static bool ready;

	if (ready)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return error("cannot initialise libcurl");
	atexit(curl_global_cleanup);
	ready = true;
	return 0;
}

int fetch_recipe(const struct recipe *r, const struct fetch_opts *opts,
		 char **path)
{
	struct strbuf tried = STRBUF_INIT;
	enum lookup ret;

	*path = NULL;
	if (mkdir_p(opts->cache_dir, 0755))
		return -1;
	ret = fetch_local(r, opts, path);
	if (ret != LOOKUP_MISSING)
		return ret == LOOKUP_FOUND ? 0 : -1;
	if (!has_urls(r, opts))
		return no_urls_error(r);
	if (curl_init_once())
		return -1;
	for (size_t i = 0; ret == LOOKUP_MISSING && i < r->nsources; i++)
		ret = fetch_remote(r, &r->sources[i], opts, &tried, path);
	if (ret == LOOKUP_MISSING)
		fetch_failed(r, &tried);
	strbuf_release(&tried);
	return ret == LOOKUP_FOUND ? 0 : -1;
}

void fetch_opts_release(struct fetch_opts *opts)
{
	strvec_clear(&opts->mirrors);
}
