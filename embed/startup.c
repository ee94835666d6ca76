/* Start-up settings shared by the interpreter and application mains. */
#include "startup.h"
#include "stick.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int stick_executable_path(char *buf, size_t size, const char *argv0)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char resolved[PATH_MAX];

	if (n > 0) {
		buf[n] = '\0';
		return 0;
	}
	/* No /proc (an empty chroot): argv[0] is the best we have. */
	if (argv0 && realpath(argv0, resolved) && strlen(resolved) < size) {
		memcpy(buf, resolved, strlen(resolved) + 1);
		return 0;
	}
	return -1;
}

/*
 * The interpreter's home is the binary itself: sys.prefix is the binary's
 * path and the stdlib's virtual directory, <binary>/lib/python3.X, cannot
 * exist on disk, so nothing from a Python installation on the host is
 * ever picked up, and getpath has nothing to search for.
 */
static PyStatus stick_set_home(PyConfig *config, const char *argv0)
{
	char exe[PATH_MAX];

	/* A library chose its own home (embed/api.c). */
	if (config->home)
		return PyStatus_Ok();
	if (stick_executable_path(exe, sizeof(exe), argv0) == 0)
		return PyConfig_SetBytesString(config, &config->home, exe);
	return PyConfig_SetBytesString(config, &config->home, "/nonexistent");
}

/*
 * OpenSSL looks for CA certificates where it was configured to
 * (/etc/ssl), which is right on Debian but not on RHEL or SUSE. When the
 * user did not choose with SSL_CERT_FILE or SSL_CERT_DIR, point OpenSSL at
 * the first bundle this system has. Called once the interpreter is up:
 * os.environ is a copy of the environment made during start-up, so it
 * stays what the user gave, as in python3 (a child started with env={}
 * sees an empty environment), while OpenSSL, which reads the process
 * environment when a context loads its default certificates, and child
 * processes that inherit it see the setting.
 */
static void stick_find_ca_certificates(void)
{
	static const char *const bundles[] = {
		"/etc/ssl/certs/ca-certificates.crt",   /* Debian, Ubuntu, Arch */
		"/etc/pki/tls/certs/ca-bundle.crt",     /* RHEL, Fedora */
		"/etc/ssl/ca-bundle.pem",               /* SUSE */
		"/etc/ssl/cert.pem",                    /* Alpine, Arch, macOS-like */
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
		"/var/lib/ca-certificates/ca-bundle.pem",
	};

	if (getenv("SSL_CERT_FILE") || getenv("SSL_CERT_DIR"))
		return;
	for (size_t i = 0; i < sizeof(bundles) / sizeof(*bundles); i++) {
		if (access(bundles[i], R_OK) == 0) {
			setenv("SSL_CERT_FILE", bundles[i], 0);
			return;
		}
	}
}

#ifdef WITH_MIMALLOC
/*
 * Whether the command line or the environment asks for the development
 * mode (-X dev, PYTHONDEVMODE), as CPython reads them: options before
 * the first argument that is not one, or -c/-m.
 */
static int stick_dev_mode(const PyConfig *config, int argc, char **argv)
{
	const char *env = getenv("PYTHONDEVMODE");

	if (config->use_environment && env && *env)
		return 1;
	for (int i = 1; config->parse_argv && i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !strcmp(a, "-") || !strcmp(a, "--") ||
		    !strcmp(a, "-c") || !strcmp(a, "-m"))
			break;
		if (!strcmp(a, "-W")) {
			i++;
			continue;
		}
		if (!strcmp(a, "-X") && i + 1 < argc)
			a = argv[++i];
		else if (!strncmp(a, "-X", 2))
			a += 2;
		else
			continue;
		if (!strcmp(a, "dev"))
			return 1;
	}
	return 0;
}
#endif

/*
 * The allocator of Python objects: CPython's mimalloc where the build has
 * it (3.13), rather than pymalloc over musl's malloc, which took 1.58x its
 * time on a 4-thread allocation workload (README; executables now also
 * use mimalloc as malloc, embed/malloc.c). PYTHONMALLOC still chooses
 * when the environment is honoured, and the development mode keeps
 * CPython's choice, pymalloc with its debug hooks, as in python3.
 */
static PyStatus stick_preinitialize(const PyConfig *config, int argc,
				    char **argv)
{
	PyPreConfig pre;
	const char *env = getenv("PYTHONMALLOC");

	if (config->isolated)
		PyPreConfig_InitIsolatedConfig(&pre);
	else
		PyPreConfig_InitPythonConfig(&pre);
	pre.parse_argv = config->parse_argv;
	/*
	 * The C locale (env -i, an empty root) means UTF-8, as in python
	 * (PEP 540), also for isolated apps, whose pre-configuration would
	 * leave stdio ASCII there (musl's C locale); other musl locales
	 * are UTF-8 anyway.
	 */
	pre.utf8_mode = -1;
#ifdef WITH_MIMALLOC
	if ((!config->use_environment || !env || !*env) &&
	    !stick_dev_mode(config, argc, argv))
		pre.allocator = PYMEM_ALLOCATOR_MIMALLOC;
#else
	(void)env;
#endif
	return Py_PreInitializeFromBytesArgs(&pre, argc, argv);
}

/*
 * The extensions' inittab (embed/stick.h) is added once per process, also
 * when a library initializes again after finalizing.
 */
static PyStatus stick_add_extensions(void)
{
	static int added;
	struct _inittab *table = stick_ext_inittab;

	if (!table || added)
		return PyStatus_Ok();
	added = 1;
	if (PyImport_ExtendInittab(table) < 0)
		return PyStatus_NoMemory();
	return PyStatus_Ok();
}

PyStatus stick_initialize(PyConfig *config, int argc, char **argv)
{
	PyStatus status = stick_add_extensions();

	if (PyStatus_Exception(status))
		return status;
	PyImport_FrozenModules = stick_stdlib_frozen;
	status = stick_preinitialize(config, argc, argv);
	if (!PyStatus_Exception(status))
		status = PyConfig_SetBytesArgv(config, argc, argv);
	if (!PyStatus_Exception(status))
		status = stick_set_home(config, argc > 0 ? argv[0] : NULL);
	if (!PyStatus_Exception(status))
		status = Py_InitializeFromConfig(config);
	if (!PyStatus_Exception(status))
		stick_find_ca_certificates();
	return status;
}

/*
 * The main phase of start-up (after stick_initialize with
 * config->_init_main = 0) without importing zipimport. CPython imports it
 * to put zipimport.zipimporter first on sys.path_hooks, about a twentieth
 * of an application's start-up, though nothing on an application's
 * sys.path is a zip file; the importer installs a hook that imports it the
 * first time a path entry is looked up (embed/stick_importer.py). A None
 * in sys.modules makes that import fail at once, which CPython accepts
 * ("no zipimporter object -- okay"); the entry is removed right after.
 */
PyStatus stick_initialize_main_without_zipimport(void)
{
	PyObject *modules = PyImport_GetModuleDict();
	PyStatus status;

	if (PyDict_SetItemString(modules, "zipimport", Py_None) < 0)
		return PyStatus_Error("stick: cannot hold back zipimport");
	status = _Py_InitializeMain();
	if (PyStatus_Exception(status))
		return status;
	if (PyDict_GetItemString(modules, "zipimport") == Py_None &&
	    PyDict_DelItemString(modules, "zipimport") < 0)
		return PyStatus_Error("stick: cannot release zipimport");
	return PyStatus_Ok();
}

int stick_exit_status(PyConfig *config, PyStatus status)
{
	PyConfig_Clear(config);
	if (PyStatus_IsExit(status))
		return status.exitcode;
	Py_ExitStatusException(status);
}
