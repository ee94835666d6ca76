/*
 * A tiny HTTP/1.1 file server for stick's tests: GET and HEAD of files
 * under --root, "Range: bytes=N-" requests, and two ways to misbehave:
 * --cut-after N drops the first download of each path after N body bytes,
 * --delay-ms N slows every download down. A path ending in '/' serves the
 * directory's index.html, and *.html files are sent as text/html, so a
 * static PEP 503 package index can be served. It listens on 127.0.0.1
 * only, on --port N or else a port the kernel picks, and writes the port
 * to --port-file.
 *
 *   httpd --root DIR --port-file FILE [--log FILE] [--cut-after N]
 *         [--delay-ms N] [--port N]
 *
 * Each connection is served by a forked child and closed after one request.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../stick/banned.h"

#define CHUNK (16 * 1024)

static const char *root, *port_file, *log_path;
static long cut_after = -1, delay_ms, listen_port;
static char cut_dir[4096];
static volatile sig_atomic_t stopping;

struct request {
	char method[16];
	char path[2048];
	char range[128];        /* the Range header's value, or "" */
	long long from, to;     /* the requested bytes when range is set */
};

struct reply {
	int status;
	const char *reason;
	long long size, from, length;
	int fd;                 /* the file, or -1 */
	int html;               /* the file is an HTML page */
};

static void die(const char *msg)
{
	fprintf(stderr, "httpd: %s: %s\n", msg, strerror(errno));
	exit(1);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Reads up to the blank line that ends the request head. */
static int read_head(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	while (len + 1 < cap) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return 0;
	}
	return -1;
}

static void parse_range(struct request *rq, const char *line)
{
	size_t n;

	line += strlen("Range:");
	line += strspn(line, " \t");
	n = strcspn(line, "\r\n");
	if (n >= sizeof(rq->range))
		n = sizeof(rq->range) - 1;
	memcpy(rq->range, line, n);
	rq->range[n] = '\0';
	rq->to = -1;
	if (sscanf(rq->range, "bytes=%lld-%lld", &rq->from, &rq->to) < 1)
		rq->range[0] = '\0';
}

static int parse_request(char *head, struct request *rq)
{
	char *line, *q;

	memset(rq, 0, sizeof(*rq));
	if (sscanf(head, "%15s %2047s", rq->method, rq->path) != 2)
		return -1;
	q = strchr(rq->path, '?');
	if (q)
		*q = '\0';
	for (line = strchr(head, '\n'); line; line = strchr(line, '\n')) {
		line++;
		if (!strncasecmp(line, "Range:", 6))
			parse_range(rq, line);
	}
	return 0;
}

/* True for the first request of a path (a marker file per path). */
static int first_request(const char *path)
{
	char name[sizeof(cut_dir) + 2 * 2048 + 2];
	size_t n = (size_t)snprintf(name, sizeof(name), "%s/", cut_dir);
	int fd;

	for (const unsigned char *p = (const unsigned char *)path;
	     *p && n + 3 < sizeof(name); p++)
		n += (size_t)snprintf(name + n, 3, "%02x", *p);
	fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static void set_status(struct reply *rp, int status, const char *reason)
{
	rp->status = status;
	rp->reason = reason;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Decides the status and the byte range to send. */
static void plan_reply(const struct request *rq, struct reply *rp)
{
	char file[4096];
	struct stat st;

	memset(rp, 0, sizeof(*rp));
	rp->fd = -1;
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD"))
		return set_status(rp, 405, "Method Not Allowed");
	if (rq->path[0] != '/' || strstr(rq->path, ".."))
		return set_status(rp, 403, "Forbidden");
	snprintf(file, sizeof(file), "%s%s%s", root, rq->path,
		 ends_with(rq->path, "/") ? "index.html" : "");
	rp->html = ends_with(file, ".html");
	rp->fd = open(file, O_RDONLY | O_CLOEXEC);
	if (rp->fd < 0 || fstat(rp->fd, &st) || !S_ISREG(st.st_mode))
		return set_status(rp, 404, "Not Found");
	rp->size = st.st_size;
	rp->length = st.st_size;
	if (!rq->range[0])
		return set_status(rp, 200, "OK");
	if (rq->from >= rp->size)
		return set_status(rp, 416, "Range Not Satisfiable");
	rp->from = rq->from;
	rp->length = (rq->to >= rq->from && rq->to < rp->size ? rq->to + 1 :
		      rp->size) - rq->from;
	set_status(rp, 206, "Partial Content");
}

static void log_request(const struct request *rq, int status)
{
	char line[4096];
	int fd, n;

	if (!log_path)
		return;
	n = snprintf(line, sizeof(line), "%s %s %s %d\n", rq->method, rq->path,
		     rq->range[0] ? rq->range : "-", status);
	fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	write_all(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	close(fd);
}

static int send_head(int sock, const struct reply *rp)
{
	char head[1024];
	size_t n = 0;
	int ok = rp->status == 200 || rp->status == 206;
	long long length = ok ? rp->length : (long long)strlen(rp->reason) + 1;

	n += (size_t)snprintf(head + n, sizeof(head) - n,
		"HTTP/1.1 %d %s\r\nServer: stick-test-httpd\r\n"
		"Content-Length: %lld\r\nAccept-Ranges: bytes\r\n"
		"Connection: close\r\n", rp->status, rp->reason, length);
	if (rp->status == 206)
		n += (size_t)snprintf(head + n, sizeof(head) - n,
			"Content-Range: bytes %lld-%lld/%lld\r\n", rp->from,
			rp->from + rp->length - 1, rp->size);
	else if (rp->status == 416)
		n += (size_t)snprintf(head + n, sizeof(head) - n,
			"Content-Range: bytes */%lld\r\n", rp->size);
	n += (size_t)snprintf(head + n, sizeof(head) - n, "%s\r\n",
		!ok ? "Content-Type: text/plain\r\n" : rp->html ?
		"Content-Type: text/html\r\n" :
		"Content-Type: application/octet-stream\r\n");
	return write_all(sock, head, n);
}

/* Sends up to limit bytes of the body (-1: all of it). */
static void send_body(int sock, const struct reply *rp, long long limit)
{
	char buf[CHUNK];
	long long left = rp->length;

	if (limit >= 0 && limit < left)
		left = limit;
	if (lseek(rp->fd, rp->from, SEEK_SET) < 0)
		return;
	while (left > 0) {
		size_t want = left < CHUNK ? (size_t)left : CHUNK;
		ssize_t n = read(rp->fd, buf, want);

		if (n <= 0 || write_all(sock, buf, (size_t)n))
			return;
		left -= n;
		if (delay_ms && left > 0)
			sleep_ms(delay_ms);
	}
}

static void serve(int sock)
{
	char head[16384];
	struct request rq;
	struct reply rp;
	struct timeval tv = { 10, 0 };
	long long limit = -1;

	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (read_head(sock, head, sizeof(head)) || parse_request(head, &rq))
		return;
	plan_reply(&rq, &rp);
	log_request(&rq, rp.status);
	if (send_head(sock, &rp))
		return;
	if (!strcmp(rq.method, "HEAD")) {
		/* no body */
	} else if (rp.status != 200 && rp.status != 206) {
		char text[128];
		int n = snprintf(text, sizeof(text), "%s\n", rp.reason);

		write_all(sock, text, (size_t)n);
	} else {
		if (cut_after >= 0 && first_request(rq.path))
			limit = cut_after;
		send_body(sock, &rp, limit);
	}
	if (rp.fd >= 0)
		close(rp.fd);
	shutdown(sock, SHUT_WR);
}

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static void on_child(int sig)
{
	int saved = errno;

	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

/*
 * SIGTERM stays blocked except inside ppoll(), so a signal that arrives
 * just before the wait cannot be lost. Returns the mask for ppoll().
 */
static void set_signals(sigset_t *waiting)
{
	struct sigaction sa;
	sigset_t term;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	sigprocmask(SIG_BLOCK, &term, waiting);
}

static int listen_loopback(void)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons((unsigned short)listen_port);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 64))
		die("cannot listen on 127.0.0.1");
	if (getsockname(fd, (struct sockaddr *)&addr, &len))
		die("getsockname");
	return fd;
}

static void write_port(int port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", port_file, (long)getpid());
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f))
		die(tmp);
	if (rename(tmp, port_file))
		die(port_file);
}

static void remove_cut_dir(void)
{
	DIR *d = opendir(cut_dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] != '.')
			unlinkat(dirfd(d), de->d_name, 0);
	}
	if (d)
		closedir(d);
	rmdir(cut_dir);
}

static void handle(int lfd, int sock, const sigset_t *mask)
{
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		sigprocmask(SIG_SETMASK, mask, NULL);
		/* A child serving a slow download dies with the server. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		close(lfd);
		serve(sock);
		close(sock);
		_exit(0);
	}
	if (pid < 0)
		perror("httpd: fork");
	close(sock);
}

static void usage(void)
{
	fprintf(stderr, "usage: httpd --root DIR --port-file FILE [--log FILE] "
		"[--cut-after N] [--delay-ms N] [--port N]\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val)
			usage();
		if (!strcmp(opt, "--root"))
			root = val;
		else if (!strcmp(opt, "--port-file"))
			port_file = val;
		else if (!strcmp(opt, "--log"))
			log_path = val;
		else if (!strcmp(opt, "--cut-after"))
			cut_after = atol(val);
		else if (!strcmp(opt, "--delay-ms"))
			delay_ms = atol(val);
		else if (!strcmp(opt, "--port"))
			listen_port = atol(val);
		else
			usage();
	}
	if (!root || !port_file)
		usage();
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	sigset_t mask;
	int lfd, sock;

	parse_args(argc, argv);
	snprintf(cut_dir, sizeof(cut_dir), "%s.cut.%ld", port_file,
		 (long)getpid());
	if (cut_after >= 0 && mkdir(cut_dir, 0755) && errno != EEXIST)
		die(cut_dir);
	set_signals(&mask);
	lfd = listen_loopback();
	getsockname(lfd, (struct sockaddr *)&addr, &len);
	write_port(ntohs(addr.sin_port));
	while (!stopping) {
		struct pollfd pfd = { lfd, POLLIN, 0 };

		if (ppoll(&pfd, 1, NULL, &mask) <= 0)
			continue;
		sock = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (sock < 0 && errno != EINTR && errno != ECONNABORTED)
			die("accept");
		if (sock >= 0)
			handle(lfd, sock, &mask);
	}
	close(lfd);
	if (cut_after >= 0)
		remove_cut_dir();
	return 0;
}
