"""mesonpkg: built by meson-python."""
