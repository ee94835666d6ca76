from ._speedups import value, where
