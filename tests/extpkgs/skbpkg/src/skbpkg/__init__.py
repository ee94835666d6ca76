from ._core import arch, checked_sum

__all__ = ["arch", "checked_sum"]
