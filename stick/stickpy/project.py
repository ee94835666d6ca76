"""Read a Python project for `stick build PROJECT_DIR`.

Its pyproject.toml is read with the toolchain's own tomllib. read()
checks it and gives its settings: the [project.scripts] (one executable
each), [tool.stick] python, paths, include, exclude, prune, and the
packages (src/ layout, or the packages at the top of a flat layout).
stage() copies the packages into a site-packages style directory with a
NAME-VERSION.dist-info made from [project] (METADATA, entry_points.txt),
so that importlib.metadata works in the executables.

Errors (no pyproject.toml, bad TOML, no [project.scripts], no package)
are a ProjectError naming the file.

[tool.stick] keys: python = "3.13", paths = ["deps"], include = ["mod"],
exclude = ["mod"], prune = true, packages = ["pkg"] (overrides the
discovery of a flat layout).
"""

import ast
import os
import re
import shutil

from .request import HelperError
from .util import canonical_name

# Top-level directories of a flat layout that are never the project's
# packages.
NOT_PACKAGES = {"test", "tests", "testing", "doc", "docs", "example",
                "examples", "benchmarks", "scripts", "tools", "build", "dist",
                "venv", ".venv", "site-packages"}
NOT_MODULES = {"setup", "conftest", "noxfile", "fabfile", "tasks"}


class ProjectError(HelperError):
    pass


def load(project):
    import tomllib
    path = os.path.join(project, "pyproject.toml")
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ProjectError(f"{path}: no such file; a project directory needs "
                           "a pyproject.toml (or use --script/--entry)")
    except tomllib.TOMLDecodeError as e:
        raise ProjectError(f"{path}: {e}")


def string_list(table, key, where):
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str)
                                              for v in value):
        raise ProjectError(f"{where}: '{key}' must be a list of strings")
    return value


def project_paths(tool, key, directory, where, check, problem):
    """[tool.stick] KEY: paths relative to the project, each passing
    check (os.path.isdir, os.path.exists), made absolute."""
    out = []
    for p in string_list(tool, key, "[tool.stick]"):
        full = os.path.normpath(os.path.join(directory, p))
        if not check(full):
            raise ProjectError(f"{where}: [tool.stick] {key}: '{p}' "
                               f"{problem}")
        out.append(full)
    return out


def source_root(project):
    src = os.path.join(project, "src")
    return src if os.path.isdir(src) else project


def discover(root, flat, explicit):
    """(packages, modules) at the top of root."""
    if explicit:
        missing = [p for p in explicit
                   if not os.path.isfile(os.path.join(root, p, "__init__.py"))]
        if missing:
            raise ProjectError(f"[tool.stick] packages: no package "
                               f"'{missing[0]}' in {root}")
        return sorted(explicit), []
    packages, modules = [], []
    for name in sorted(os.listdir(root)):
        full = os.path.join(root, name)
        if os.path.isdir(full) and name.isidentifier() and \
                os.path.isfile(os.path.join(full, "__init__.py")):
            if not (flat and name in NOT_PACKAGES):
                packages.append(name)
        elif name.endswith(".py") and name[:-3].isidentifier():
            if not (flat and name[:-3] in NOT_MODULES):
                modules.append(name)
    return packages, modules


def static_version(root, packages, name):
    """__version__ = "..." in the package named like the project, else
    in the first package that has one."""
    want = re.sub(r"[-_.]+", "_", name).lower()
    for pkg in sorted(packages, key=lambda p: p.lower() != want):
        init = os.path.join(root, pkg, "__init__.py")
        with open(init, "rb") as f:
            tree = ast.parse(f.read())
        for node in tree.body:
            if isinstance(node, ast.Assign) and \
                    isinstance(node.value, ast.Constant) and \
                    isinstance(node.value.value, str) and \
                    any(isinstance(t, ast.Name) and t.id == "__version__"
                        for t in node.targets):
                return node.value.value
    return None


def metadata_text(meta, version):
    lines = ["Metadata-Version: 2.1", f"Name: {meta['name']}",
             f"Version: {version}"]
    if isinstance(meta.get("description"), str):
        lines.append(f"Summary: {meta['description']}")
    if isinstance(meta.get("requires-python"), str):
        lines.append(f"Requires-Python: {meta['requires-python']}")
    lic = meta.get("license")
    if isinstance(lic, str):
        lines.append(f"License-Expression: {lic}")
    elif isinstance(lic, dict) and isinstance(lic.get("text"), str):
        lines.append(f"License: {lic['text'].splitlines()[0]}")
    for dep in meta.get("dependencies", []):
        lines.append(f"Requires-Dist: {dep}")
    return "\n".join(lines) + "\n"


def entry_points_text(meta):
    groups = {}
    if meta.get("scripts"):
        groups["console_scripts"] = meta["scripts"]
    if meta.get("gui-scripts"):
        groups["gui_scripts"] = meta["gui-scripts"]
    for group, eps in sorted(meta.get("entry-points", {}).items()):
        groups[group] = eps
    out = []
    for group, eps in groups.items():
        out.append(f"[{group}]")
        out += [f"{k} = {v}" for k, v in sorted(eps.items())]
        out.append("")
    return "\n".join(out)


def copy_tree(src, dst):
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(
        "__pycache__", "*.pyc", "*.pyo", "*.so"))


def defines_extensions(data, directory):
    """Whether the project's own build compiles C extensions: setuptools'
    [tool.setuptools] ext-modules, or a setup.py that passes ext_modules.
    Such a project is built through its backend like an --sdist."""
    if data.get("tool", {}).get("setuptools", {}).get("ext-modules"):
        return True
    try:
        with open(os.path.join(directory, "setup.py"), encoding="utf-8",
                  errors="replace") as f:
            return "ext_modules" in f.read()
    except OSError:
        return False


def pinned_names(req):
    """The distributions the pinned build tools provide, normalized: the
    `tool-provides NAME DIST` lines of a `project` request (stick/tool.c
    read the recipes of kind tool)."""
    return {canonical_name(line.partition(" ")[2])
            for line in req.all("tool-provides")}


class Project:
    """A checked pyproject.toml: what stick needs from it. With pinned
    (the names pinned_names gives), a declared backend among them
    builds the project's wheel (self.backend); use_backend decides that
    instead when pinned is None (the build request, told by stick)."""

    def __init__(self, directory, pinned=None, use_backend=False):
        self.dir = directory
        where = f"{directory}/pyproject.toml"
        data = load(directory)
        meta = data.get("project")
        if not isinstance(meta, dict) or not isinstance(meta.get("name"),
                                                        str):
            raise ProjectError(f"{where}: no [project] table with a name")
        self.meta = meta
        self.scripts = check_scripts(meta, where)
        tool = data.get("tool", {}).get("stick", {})
        self.python = str(tool["python"]) if "python" in tool else None
        self.root = source_root(directory)
        # With a [build-system] backend, the project's wheel (built by it,
        # stickpy.extensions) gives the packages, data, metadata and entry
        # points; without one, stick reads the tree itself.
        bs = data.get("build-system", {})
        declared = bs.get("build-backend")
        if pinned is not None:
            use_backend = bool(declared) and \
                canonical_name(declared.split(".")[0]) in pinned
        self.backend = declared if use_backend else None
        if self.backend:
            self.packages, self.modules = [], []
            self.version = meta.get("version")
        else:
            try:
                self.read_tree(meta, tool)
            except ProjectError as e:
                if not declared or pinned is None:
                    raise
                raise ProjectError(
                    f"{e}\n{where}: it declares the build backend "
                    f"'{declared}' (requires {bs.get('requires', [])}), "
                    "which stick does not pin, so stick read the tree "
                    "itself; add a recipe of kind tool for it in "
                    "thirdparty/ (its sdist, `pythonpath`, `provides`) "
                    "or make the project readable without it") from None
        self.paths = project_paths(tool, "paths", directory, where,
                                   os.path.isdir, "is not a directory")
        self.sdists = project_paths(tool, "sdists", directory, where,
                                    os.path.exists, "does not exist")
        if self.backend or defines_extensions(data, directory):
            self.sdists.append(directory)
        self.includes = string_list(tool, "include", "[tool.stick]")
        self.excludes = string_list(tool, "exclude", "[tool.stick]")
        self.prune = bool(tool.get("prune"))

    def read_tree(self, meta, tool):
        """The packages and the version, read by stick itself."""
        self.packages, self.modules = discover(
            self.root, self.root == self.dir,
            string_list(tool, "packages", "[tool.stick]"))
        if not self.packages and not self.modules:
            raise ProjectError(f"{self.dir}: found no package to freeze "
                               f"(looked in {self.root}); set [tool.stick] "
                               "packages")
        self.version = project_version(meta, self.root, self.packages,
                                       self.dir)

    def wheel_entry(self, script, paths):
        """The entry point of a console script, from the *.dist-info the
        project's wheel installed into one of paths."""
        import configparser
        want = re.sub(r"[-_.]+", "_", self.meta["name"]).lower()
        for path in paths:
            for name in sorted(os.listdir(path)):
                if not name.endswith(".dist-info") or \
                        name.split("-")[0].lower() != want:
                    continue
                eps = configparser.ConfigParser(delimiters=("=",))
                eps.optionxform = str
                eps.read(os.path.join(path, name, "entry_points.txt"))
                entry = eps.get("console_scripts", script, fallback=None)
                if entry:
                    return entry.replace(" ", "")
                raise ProjectError(
                    f"{self.dir}: the wheel its backend '{self.backend}' "
                    f"built ({name}) has no console script '{script}'")
        raise ProjectError(f"{self.dir}: no *.dist-info of "
                           f"{self.meta['name']} among the built sites "
                           "(stick and stick/stickpy disagree)")

    def has_dependencies(self):
        """Whether the build installs requirements: [project.dependencies]
        (static or dynamic), or a pylock.toml beside pyproject.toml."""
        dynamic = self.meta.get("dynamic", [])
        return bool(self.meta.get("dependencies") or
                    "dependencies" in dynamic or
                    os.path.exists(os.path.join(self.dir, "pylock.toml")))

    def summary(self):
        if self.backend:
            version = f" {self.version}" if self.version else ""
            return (f"{self.meta['name']}{version}: built by its backend "
                    f"{self.backend}; "
                    f"{len(self.scripts)} script(s)")
        return (f"{self.meta['name']} {self.version}: "
                f"{', '.join(self.packages + self.modules)}; "
                f"{len(self.scripts)} script(s)")

    def stage(self, out):
        """Copies the packages and a generated *.dist-info into out/site;
        returns that directory."""
        site = os.path.join(out, "site")
        os.makedirs(site)
        for pkg in self.packages:
            copy_tree(os.path.join(self.root, pkg), os.path.join(site, pkg))
        for mod in self.modules:
            shutil.copyfile(os.path.join(self.root, mod),
                            os.path.join(site, mod))
        dist = re.sub(r"[-_.]+", "_", self.meta["name"])
        info = os.path.join(site, f"{dist}-{self.version}.dist-info")
        os.makedirs(info)
        with open(os.path.join(info, "METADATA"), "w") as f:
            f.write(metadata_text(self.meta, self.version))
        with open(os.path.join(info, "entry_points.txt"), "w") as f:
            f.write(entry_points_text(self.meta))
        with open(os.path.join(info, "INSTALLER"), "w") as f:
            f.write("stick\n")
        return site


def check_scripts(meta, where):
    """{name: "module:function"} from [project.scripts], checked."""
    scripts = meta.get("scripts", {})
    if not scripts:
        raise ProjectError(f"{where}: [project.scripts] is empty or "
                           "missing, so there is no executable to make; add "
                           "one (name = \"pkg.module:function\") or use "
                           "--entry")
    checked = {}
    for name, entry in scripts.items():
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) or \
                not isinstance(entry, str) or ":" not in entry:
            raise ProjectError(f"{where}: [project.scripts] {name} = "
                               f"{entry!r} must be name = \"module:function\"")
        checked[name] = entry.replace(" ", "")
    return checked


def project_version(meta, root, packages, directory):
    version = meta.get("version")
    if version is None and "version" in meta.get("dynamic", []):
        version = static_version(root, packages, meta["name"])
    if not isinstance(version, str):
        raise ProjectError(f"{directory}/pyproject.toml: the version is "
                           "dynamic and no static __version__ was found in "
                           "the package; set [project] version")
    return version
