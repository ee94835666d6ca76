/*
 * The OCI distribution protocol, spoken through libcurl: a registry
 * named by oci://HOST[:PORT]/REPO, its manifests and blobs fetched and
 * pushed (monolithic and chunked uploads), with basic and bearer-token
 * authentication. No docker, no skopeo.
 */
#ifndef STICK_OCI_H
#define STICK_OCI_H

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

/* The media type of the manifests stick writes and accepts. */
#define OCI_MANIFEST_TYPE "application/vnd.oci.image.manifest.v1+json"
/* The empty config of an artifact manifest, "{}" (image-spec 1.1). */
#define OCI_EMPTY_TYPE "application/vnd.oci.empty.v1+json"
#define OCI_EMPTY_DIGEST \
	"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

struct oci_registry {
	char *url;       /* as given: oci://HOST[:PORT]/REPO */
	char *host;      /* HOST[:PORT] */
	char *repo;      /* REPO */
	char *base;      /* https://HOST[:PORT] (http:// when insecure) */
	bool insecure;
	char *auth;      /* "user:password", or NULL */
	char *auth_from; /* where auth came from, for messages */
	char *token;     /* the bearer token a challenge gave, or NULL */
	bool send_basic; /* a Basic challenge was answered: send auth */
	long chunk;      /* blobs larger than this are uploaded in chunks */
	struct strbuf why; /* what the last failed call met */
	void *curl;
};

/*
 * Parses url, oci://HOST[:PORT]/REPO (REPO: lowercase path components
 * of letters, digits and single '.', '_', '-' between them). insecure
 * (--cache-insecure) speaks http://, allowed only for a loopback HOST.
 * 0, or -1 with *why set (caller frees).
 */
int oci_parse(struct oci_registry *r, const char *url, bool insecure,
	      char **why);
void oci_release(struct oci_registry *r);

/*
 * The credentials for r's host: $STICK_CACHE_AUTH (user:password), else
 * the `auths` entry of $DOCKER_CONFIG/config.json or
 * ~/.docker/config.json. 0 (none is not an error), or -1 with r->why.
 */
int oci_credentials(struct oci_registry *r);

/*
 * The calls below return 0 on success, 1 when the registry does not
 * have it (404), and -1 with r->why saying what went wrong.
 */

/* GET /v2/: the registry answers as an OCI registry. */
int oci_ping(struct oci_registry *r);
/* The manifest tagged tag (its bytes in *body, caller releases). */
int oci_manifest_get(struct oci_registry *r, const char *tag,
		     struct strbuf *body);
/* PUTs body as the manifest tagged tag. */
int oci_manifest_put(struct oci_registry *r, const char *tag,
		     const char *body, size_t len);
/*
 * Downloads blob digest ("sha256:HEX") into the new file path, checking
 * its size and its sha256 as it comes; a mismatch removes path (-1).
 */
int oci_blob_get(struct oci_registry *r, const char *digest, off_t size,
		 const char *path);
/* HEAD: 0 when the registry has the blob, 1 when not. */
int oci_blob_exists(struct oci_registry *r, const char *digest);
/*
 * Uploads the file path (or, with path NULL, the len bytes of data) as
 * blob digest unless the registry has it: one PUT, or PATCHes of
 * r->chunk bytes then a PUT for a larger file.
 */
int oci_blob_push(struct oci_registry *r, const char *digest,
		  const char *path, const void *data, off_t len);

#endif
